package io.saliencystudio.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** All test images are made here, byte by byte (PNG) or with ImageIO (JPEG, BMP), so no binary fixtures are needed. */
class ImageLoaderTest {

    @TempDir
    Path dir;

    private final ImageLoader loader = new ImageLoader();

    // ---------------------------------------------------------------- PNG writing by hand

    private static final int GREY = 0;
    private static final int RGB = 2;
    private static final int PALETTE = 3;
    private static final int GREY_ALPHA = 4;
    private static final int RGBA = 6;

    private static byte[] chunk(String type, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        b.put(t).put(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * A PNG with the given header and unfiltered scanlines ({@code rows} holds each row's bytes back to back, without
     * filter bytes); {@code extra} chunks go between IHDR and IDAT.
     */
    private static byte[] png(int w, int h, int bitDepth, int colorType, byte[] rows, byte[]... extra) throws IOException {
        int rowBytes = rows.length / h;
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (int y = 0; y < h; y++) {
            raw.write(0); // filter type None
            raw.write(rows, y * rowBytes, rowBytes);
        }
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z, new Deflater(Deflater.NO_COMPRESSION))) {
            d.write(raw.toByteArray());
        }
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h);
        ihdr.put((byte) bitDepth).put((byte) colorType).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.write(chunk("IHDR", ihdr.array()));
        for (byte[] e : extra) {
            out.write(e);
        }
        out.write(chunk("IDAT", z.toByteArray()));
        out.write(chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    private static byte[] bytes(int... v) {
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = (byte) v[i];
        }
        return b;
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, content);
        return p;
    }

    private static float[] px(RgbImage img, int x, int y) {
        return new float[] {img.get(x, y, 0), img.get(x, y, 1), img.get(x, y, 2)};
    }

    // ---------------------------------------------------------------- decoding

    @Test
    void eightBitGreyPngIsReadExactlyDespiteAGammaChunk() throws Exception {
        // gAMA 1.0 (100000) must not change the samples, nor must Java's linear-grey colour conversion
        byte[] gama = chunk("gAMA", ByteBuffer.allocate(4).putInt(100000).array());
        Path p = file("grey.png", png(6, 1, 8, GREY, bytes(0, 1, 77, 128, 254, 255), gama));

        RgbImage img = loader.load(p);

        assertThat(img.width()).isEqualTo(6);
        assertThat(img.height()).isEqualTo(1);
        assertThat(img.data()).containsExactly(0, 0, 0, 1, 1, 1, 77, 77, 77, 128, 128, 128, 254, 254, 254, 255, 255, 255);
    }

    @Test
    void sixteenBitGreyPngScalesTo255() throws Exception {
        // big-endian samples 65535, 32768, 257, 0
        Path p = file("grey16.png", png(2, 2, 16, GREY, bytes(0xff, 0xff, 0x80, 0x00, 0x01, 0x01, 0x00, 0x00)));

        RgbImage img = loader.load(p);

        assertThat(px(img, 0, 0)).containsExactly(255f, 255f, 255f);
        // 32768 * 255 / 65535 = 127.50195
        assertThat(px(img, 1, 0)).containsExactly(new float[] {127.50195f, 127.50195f, 127.50195f}, within(1e-4f));
        assertThat(px(img, 0, 1)).containsExactly(new float[] {1f, 1f, 1f}, within(1e-5f));
        assertThat(px(img, 1, 1)).containsExactly(0f, 0f, 0f);
    }

    @Test
    void lowBitDepthGreyPngIsScaledLikePil() throws Exception {
        // 4-bit samples 0, 5, 10, 15 -> v * 17; 1-bit samples 1, 0, 1, 1, 0, 0, 0, 0 -> v * 255
        RgbImage four = loader.load(file("grey4.png", png(4, 1, 4, GREY, bytes(0x05, 0xaf))));
        RgbImage one = loader.load(file("grey1.png", png(8, 1, 1, GREY, bytes(0b1011_0000))));

        assertThat(four.data()).containsExactly(0, 0, 0, 85, 85, 85, 170, 170, 170, 255, 255, 255);
        assertThat(one.width()).isEqualTo(8);
        assertThat(one.get(0, 0, 0)).isEqualTo(255f);
        assertThat(one.get(1, 0, 1)).isEqualTo(0f);
        assertThat(one.get(2, 0, 2)).isEqualTo(255f);
        assertThat(one.get(3, 0, 0)).isEqualTo(255f);
        assertThat(one.get(4, 0, 0)).isEqualTo(0f);
    }

    @Test
    void gifIsReadThroughItsPalette() throws Exception {
        IndexColorModel palette = new IndexColorModel(2, 4, bytes(250, 7, 30, 0), bytes(5, 8, 60, 0), bytes(1, 9, 90, 0));
        // 6x6 with index (x + y) % 4. (The JDK's GIF reader mis-reads the interlaced GIFs its writer makes when they
        // are 2 to 4 rows high, whatever the app does, so the image is taller than that.)
        BufferedImage bi = new BufferedImage(6, 6, BufferedImage.TYPE_BYTE_BINARY, palette);
        int[] index = new int[36];
        for (int i = 0; i < 36; i++) {
            index[i] = (i / 6 + i % 6) % 4;
        }
        bi.getRaster().setPixels(0, 0, 6, 6, index);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(bi, "gif", out)).isTrue();

        RgbImage img = loader.load(file("a.gif", out.toByteArray()));

        assertThat(img.width()).isEqualTo(6);
        assertThat(img.height()).isEqualTo(6);
        assertThat(px(img, 0, 0)).containsExactly(250, 5, 1);
        assertThat(px(img, 1, 0)).containsExactly(7, 8, 9);
        assertThat(px(img, 1, 1)).containsExactly(30, 60, 90);
        assertThat(px(img, 3, 0)).containsExactly(0, 0, 0);
        assertThat(px(img, 3, 2)).containsExactly(7, 8, 9);
        assertThat(px(img, 5, 5)).containsExactly(30, 60, 90);
    }

    @Test
    void sixteenBitRgbPngScalesEachChannel() throws Exception {
        Path p = file("rgb16.png", png(1, 1, 16, RGB, bytes(0xff, 0xff, 0x00, 0x00, 0x80, 0x00)));

        RgbImage img = loader.load(p);

        assertThat(px(img, 0, 0)).containsExactly(new float[] {255f, 0f, 127.50195f}, within(1e-4f));
    }

    @Test
    void rgbaPngDropsAlphaAndKeepsRgbEvenWhereTransparent() throws Exception {
        Path p = file("rgba.png", png(3, 1, 8, RGBA, bytes(10, 20, 30, 0, 200, 150, 100, 128, 1, 2, 3, 255)));

        RgbImage img = loader.load(p);

        // as PIL's convert("RGB"): the colour of a fully transparent pixel is kept, not premultiplied to black
        assertThat(img.data()).containsExactly(10, 20, 30, 200, 150, 100, 1, 2, 3);
    }

    @Test
    void greyAlphaPngDropsAlpha() throws Exception {
        Path p = file("la.png", png(2, 1, 8, GREY_ALPHA, bytes(77, 0, 200, 255)));

        RgbImage img = loader.load(p);

        assertThat(img.data()).containsExactly(77, 77, 77, 200, 200, 200);
    }

    @Test
    void palettePngLooksUpColours() throws Exception {
        byte[] plte = chunk("PLTE", bytes(255, 0, 0, 0, 128, 255, 7, 8, 9));
        byte[] trns = chunk("tRNS", bytes(255, 0, 255));
        Path p = file("palette.png", png(4, 1, 8, PALETTE, bytes(2, 0, 1, 2), plte, trns));

        RgbImage img = loader.load(p);

        assertThat(img.data()).containsExactly(7, 8, 9, 255, 0, 0, 0, 128, 255, 7, 8, 9);
    }

    @Test
    void bmpIsReadExactly() throws Exception {
        BufferedImage bi = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        bi.setRGB(0, 0, 0x0a141e);
        bi.setRGB(1, 0, 0xfffe01);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(bi, "bmp", out)).isTrue();

        RgbImage img = loader.load(file("a.bmp", out.toByteArray()));

        assertThat(img.data()).containsExactly(10, 20, 30, 255, 254, 1);
    }

    /** Four 16x16 blocks, one colour each, so every JPEG MCU is flat and decodes close to its colour. */
    private static final int[][] QUADRANT_COLOURS = {{220, 30, 30}, {30, 200, 30}, {30, 30, 220}, {230, 230, 230}};

    private static byte[] jpeg(int w, int h) throws IOException {
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] c = QUADRANT_COLOURS[(y < h / 2 ? 0 : 2) + (x < w / 2 ? 0 : 1)];
                bi.setRGB(x, y, (c[0] << 16) | (c[1] << 8) | c[2]);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            writer.write(null, new IIOImage(bi, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** Asserts the pixel at the centre of each quadrant of {@code img} has the expected quadrant colour (0..3). */
    private static void assertQuadrants(RgbImage img, int topLeft, int topRight, int bottomLeft, int bottomRight) {
        int w = img.width();
        int h = img.height();
        int[][] centres = {{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}};
        int[] expected = {topLeft, topRight, bottomLeft, bottomRight};
        for (int q = 0; q < 4; q++) {
            int[] c = QUADRANT_COLOURS[expected[q]];
            assertThat(px(img, centres[q][0], centres[q][1])).as("quadrant %d of %dx%d", q, w, h)
                    .containsExactly(new float[] {c[0], c[1], c[2]}, within(6f));
        }
    }

    @Test
    void jpegDecodesWithinJpegTolerance() throws Exception {
        RgbImage img = loader.load(file("q.jpg", jpeg(32, 32)));

        assertThat(img.width()).isEqualTo(32);
        assertThat(img.height()).isEqualTo(32);
        assertQuadrants(img, 0, 1, 2, 3);
        assertThat(px(img, 0, 0)).containsExactly(new float[] {220, 30, 30}, within(6f));
        assertThat(px(img, 31, 31)).containsExactly(new float[] {230, 230, 230}, within(6f));
    }

    // ---------------------------------------------------------------- EXIF orientation

    /** {@code jpeg} with an APP1 Exif segment holding only IFD0 tag 274 (Orientation), inserted right after SOI. */
    private static byte[] withOrientation(byte[] jpeg, int orientation) {
        byte[] tiff = bytes(
                'M', 'M', 0x00, 0x2a, 0, 0, 0, 8,                  // big-endian TIFF header, IFD0 at offset 8
                0x00, 0x01,                                        // one entry
                0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, orientation, 0x00, 0x00, // 274, SHORT, count 1, value
                0, 0, 0, 0);                                       // no next IFD
        int length = 2 + 6 + tiff.length;
        ByteBuffer app1 = ByteBuffer.allocate(2 + length);
        app1.put(bytes(0xff, 0xe1)).putShort((short) length).put(bytes('E', 'x', 'i', 'f', 0, 0)).put(tiff);
        assertThat(jpeg[0] & 0xff).isEqualTo(0xff);
        assertThat(jpeg[1] & 0xff).isEqualTo(0xd8);
        ByteBuffer out = ByteBuffer.allocate(jpeg.length + app1.capacity());
        out.put(jpeg, 0, 2).put(app1.array()).put(jpeg, 2, jpeg.length - 2);
        return out.array();
    }

    @Test
    void exifOrientation6IsRotatedClockwise() throws Exception {
        // stored 64x32: red | green over blue | white
        byte[] bytes = withOrientation(jpeg(64, 32), 6);

        RgbImage img = loader.load(file("o6.jpg", bytes));

        assertThat(img.width()).isEqualTo(32);
        assertThat(img.height()).isEqualTo(64);
        // turned 90 degrees clockwise: the left column becomes the top row, read bottom to top
        assertQuadrants(img, 2, 0, 3, 1);
    }

    @Test
    void exifOrientation3IsRotated180() throws Exception {
        RgbImage img = loader.load(file("o3.jpg", withOrientation(jpeg(64, 32), 3)));

        assertThat(img.width()).isEqualTo(64);
        assertThat(img.height()).isEqualTo(32);
        assertQuadrants(img, 3, 2, 1, 0);
    }

    @Test
    void exifOrientation1LeavesTheImageAsStored() throws Exception {
        RgbImage img = loader.load(file("o1.jpg", withOrientation(jpeg(64, 32), 1)));

        assertThat(img.width()).isEqualTo(64);
        assertThat(img.height()).isEqualTo(32);
        assertQuadrants(img, 0, 1, 2, 3);
    }

    @Test
    void decodeAloneDoesNotApplyOrientation() throws Exception {
        RgbImage img = loader.decode(withOrientation(jpeg(64, 32), 6), "o6.jpg");

        assertThat(img.width()).isEqualTo(64);
        assertThat(img.height()).isEqualTo(32);
        assertQuadrants(img, 0, 1, 2, 3);
    }

    // ---------------------------------------------------------------- errors

    @Test
    void emptyFileIsRefused() throws Exception {
        Path p = file("empty.png", new byte[0]);

        assertThatThrownBy(() -> loader.load(p))
                .isInstanceOf(ImageLoadException.class)
                .hasMessage(p + " is empty (0 bytes): it is not an image");
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("nothing.png");

        assertThatThrownBy(() -> loader.load(p))
                .isInstanceOf(ImageLoadException.class)
                .hasMessage(p + ": no such file");
    }

    @Test
    void textFileNamedPngIsNotAnImage() throws Exception {
        Path p = file("notes.png", "hello, this is a text file and not a picture\n".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> loader.load(p))
                .isInstanceOf(ImageLoadException.class)
                .hasMessage(p + " is not an image in a format this app reads (PNG, JPEG, GIF, BMP, TIFF): convert it to PNG or JPEG");
    }

    @Test
    void truncatedPngIsReportedAsTruncatedOrCorrupt() throws Exception {
        byte[] rows = new byte[40 * 40 * 3];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (byte) (i * 31 + i / 7);
        }
        byte[] whole = png(40, 40, 8, RGB, rows);
        assertThat(loader.decode(whole, "whole.png").get(1, 0, 0)).isEqualTo((3 * 31) & 0xff);
        Path p = file("cut.png", Arrays.copyOf(whole, whole.length / 2));

        assertThatThrownBy(() -> loader.load(p))
                .isInstanceOf(ImageLoadException.class)
                .hasMessageStartingWith(p + " could not be decoded (truncated or corrupt file?)");
    }

    @Test
    void imageOverThePixelLimitIsRefused() throws Exception {
        Path p = file("big.png", png(11, 10, 8, GREY, new byte[110]));

        assertThatThrownBy(() -> new ImageLoader(100).load(p))
                .isInstanceOf(ImageLoadException.class)
                .hasMessage(p + " is 11x10 pixels, over the limit of 100: downscale it first");
        assertThat(new ImageLoader(110).load(p).width()).isEqualTo(11);
    }

    @Test
    void pixelLimitIsCheckedBeforeDecoding() throws Exception {
        // The header claims 20000x20000 but the pixel data is a few bytes: decoding would fail with "truncated or
        // corrupt" (or allocate 400 MP); the limit must refuse it from the header first.
        byte[] bomb = png(20000, 20000, 8, GREY, new byte[20000]);
        Path p = file("bomb.png", Arrays.copyOf(bomb, 200));

        assertThatThrownBy(() -> new ImageLoader(100).load(p))
                .isInstanceOf(ImageLoadException.class)
                .hasMessage(p + " is 20000x20000 pixels, over the limit of 100: downscale it first");
        assertThatThrownBy(() -> loader.load(p))
                .isInstanceOf(ImageLoadException.class)
                .hasMessage(p + " is 20000x20000 pixels, over the limit of 100000000: downscale it first");
    }
    // ---------------------------------------------------------------- the readable extensions

    @Test
    void everyReadableExtensionDecodesAFileWrittenInThatFormat() throws Exception {
        BufferedImage img = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                img.setRGB(x, y, x < 8 ? 0xff0000 : 0x0000ff);
            }
        }
        for (String ext : ImageLoader.READABLE_EXTENSIONS) {
            Path file = dir.resolve("image." + ext.toUpperCase(java.util.Locale.ROOT));
            assertThat(ImageIO.write(img, ext, file.toFile())).as(ext).isTrue();
            assertThat(ImageLoader.hasReadableExtension(file)).as(ext).isTrue();
            RgbImage rgb = loader.load(file);
            assertThat(rgb.width()).as(ext).isEqualTo(16);
            assertThat(rgb.height()).as(ext).isEqualTo(8);
            float tolerance = ext.startsWith("jp") ? 40 : 0; // JPEG is lossy
            assertThat(rgb.get(2, 4, 0)).as(ext).isCloseTo(255f, within(tolerance));
            assertThat(rgb.get(2, 4, 2)).as(ext).isCloseTo(0f, within(tolerance));
            assertThat(rgb.get(13, 4, 0)).as(ext).isCloseTo(0f, within(tolerance));
            assertThat(rgb.get(13, 4, 2)).as(ext).isCloseTo(255f, within(tolerance));
        }
    }

    @Test
    void namesWithoutAReadableExtensionAreNotImages() {
        assertThat(ImageLoader.hasReadableExtension(Path.of("a/b.webp"))).isFalse();
        assertThat(ImageLoader.hasReadableExtension(Path.of("notes.txt"))).isFalse();
        assertThat(ImageLoader.hasReadableExtension(Path.of(".png"))).isFalse();
        assertThat(ImageLoader.hasReadableExtension(Path.of("png"))).isFalse();
        assertThat(ImageLoader.hasReadableExtension(Path.of("x.Jpeg"))).isTrue();
    }
}
