package io.saliencystudio.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PNGs skip the EXIF parse only when they hold none; a PNG with an eXIf orientation is still turned upright. */
class PngExifTest {

    private static byte[] png(int w, int h) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", out);
        return out.toByteArray();
    }

    /** {@code png} with an eXIf chunk (big-endian TIFF, IFD0 with Orientation) inserted before IEND. */
    private static byte[] withExifOrientation(byte[] png, int orientation) {
        ByteBuffer tiff = ByteBuffer.allocate(26);
        tiff.put(new byte[] {'M', 'M', 0, 42}).putInt(8).putShort((short) 1)
                .putShort((short) 274).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0)
                .putInt(0);
        byte[] data = tiff.array();
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length);
        chunk.putInt(data.length).put("eXIf".getBytes(StandardCharsets.US_ASCII)).put(data);
        CRC32 crc = new CRC32();
        crc.update(chunk.array(), 4, 4 + data.length);
        chunk.putInt((int) crc.getValue());
        int iend = png.length - 12;
        ByteBuffer out = ByteBuffer.allocate(png.length + chunk.capacity());
        out.put(png, 0, iend).put(chunk.array()).put(png, iend, 12);
        return out.array();
    }

    @Test
    void plainPngsSkipTheMetadataParse() throws Exception {
        assertThat(ImageLoader.pngWithoutExif(png(8, 4))).isTrue();
        assertThat(ImageLoader.pngWithoutExif(Files.readAllBytes(Path.of("assets/samples/shapes/star-01.png")))).isTrue();
        assertThat(ImageLoader.pngWithoutExif(withExifOrientation(png(8, 4), 6))).isFalse();
        assertThat(ImageLoader.pngWithoutExif(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff})).isFalse();
    }

    @Test
    void aPngWithAnExifOrientationIsStillRotated(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("o6.png");
        Files.write(file, withExifOrientation(png(64, 32), 6));
        RgbImage img = new ImageLoader().load(file);
        assertThat(img.width()).isEqualTo(32);
        assertThat(img.height()).isEqualTo(64);
    }
}
