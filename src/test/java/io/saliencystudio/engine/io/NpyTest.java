package io.saliencystudio.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files written here were checked once by hand with Debian's numpy 1.24: {@code /usr/bin/python3 -c 'import numpy;
 * a = numpy.load("a.npy")'} loads them with the right dtype, shape and values, and {@code numpy.save} of the loaded
 * array produces the very same bytes, which is why the header texts below are numpy's own.
 */
class NpyTest {

    @TempDir
    Path dir;

    private static byte[] write(float[] data, int... shape) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, data, shape);
        return out.toByteArray();
    }

    private static String header(byte[] file) {
        int len = ByteBuffer.wrap(file, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xffff;
        return new String(file, 10, len, StandardCharsets.US_ASCII);
    }

    @Test
    void oneDimensionalFileHasNumpysExactBytes() throws IOException {
        byte[] file = write(new float[] {1.5f, -2f, 3.25f, 0f, 1e-3f}, 5);

        // magic, version 1.0, header length 118 little-endian
        assertThat(Arrays.copyOf(file, 10)).containsExactly(0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 118, 0);
        String expectedHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }";
        assertThat(header(file)).isEqualTo(expectedHeader + " ".repeat(118 - 1 - expectedHeader.length()) + "\n");
        // the data: five little-endian float32 (struct.pack("<5f", 1.5, -2, 3.25, 0, 1e-3))
        assertThat(HexFormat.of().formatHex(Arrays.copyOfRange(file, 128, file.length)))
                .isEqualTo("0000c03f000000c000005040000000006f12833a");
        assertThat(file).hasSize(128 + 20);
    }

    @Test
    void headersArePaddedToAMultipleOf64() throws IOException {
        int[][] shapes = {{1}, {5}, {2, 3}, {2, 3, 4}, {1, 1, 1, 1, 7}, {3, 224, 224}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1}};
        for (int[] shape : shapes) {
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            byte[] file = write(new float[n], shape);
            int len = ByteBuffer.wrap(file, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
            assertThat((10 + len) % 64).as("shape %s", Arrays.toString(shape)).isZero();
            assertThat(header(file)).endsWith("\n").startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (");
            assertThat(file).hasSize(10 + len + 4 * n);
        }
    }

    @Test
    void multiDimensionalHeadersListTheShapeLikeNumpy() throws IOException {
        assertThat(header(write(new float[6], 2, 3)).strip())
                .isEqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }");
        assertThat(header(write(new float[24], 2, 3, 4)).strip())
                .isEqualTo("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 4), }");
    }

    @Test
    void roundTripsOneTwoAndThreeDimensions() throws IOException {
        float[] d1 = {1.5f, -2f, 3.25f, 0f, Float.MIN_VALUE};
        float[] d2 = {1, 2, 3, 4, 5, 6};
        float[] d3 = new float[24];
        for (int i = 0; i < d3.length; i++) {
            d3[i] = i * 0.5f - 3;
        }

        Npy.write(dir.resolve("a1.npy"), d1, 5);
        Npy.write(dir.resolve("a2.npy"), d2, 2, 3);
        Npy.write(dir.resolve("a3.npy"), d3, 2, 3, 4);
        Npy.Array a1 = Npy.read(dir.resolve("a1.npy"));
        Npy.Array a2 = Npy.read(dir.resolve("a2.npy"));
        Npy.Array a3 = Npy.read(dir.resolve("a3.npy"));

        assertThat(a1.shape()).containsExactly(5);
        assertThat(a1.data()).containsExactly(d1);
        assertThat(a2.shape()).containsExactly(2, 3);
        assertThat(a2.data()).containsExactly(d2);
        assertThat(a3.shape()).containsExactly(2, 3, 4);
        assertThat(a3.data()).containsExactly(d3);
        assertThat(a3.data()[23]).isEqualTo(8.5f);
    }

    @Test
    void writeRefusesAShapeThatDoesNotFitTheData() {
        assertThatThrownBy(() -> write(new float[5], 2, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shape [2, 3] needs 6 values, got 5");
    }

    /** A float64 file as numpy 1.24 writes {@code numpy.save(f, numpy.array([1.5, -2.25, 1e-3]))}. */
    @Test
    void readsFloat64AsFloat32() throws IOException {
        String text = "{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }";
        text = text + " ".repeat(117 - text.length()) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + 118 + 24).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) 118);
        b.put(text.getBytes(StandardCharsets.US_ASCII));
        b.put(HexFormat.of().parseHex("000000000000f83f00000000000002c0fca9f1d24d62503f"));

        Npy.Array a = Npy.read(b.array(), "f8.npy");

        assertThat(a.shape()).containsExactly(3);
        assertThat(a.data()).containsExactly(1.5f, -2.25f, 1e-3f);
    }

    @Test
    void refusesANonNpyFile() throws IOException {
        Path txt = dir.resolve("notes.npy");
        Files.writeString(txt, "just some text, not numpy");

        assertThatThrownBy(() -> Npy.read(txt))
                .isInstanceOf(IOException.class)
                .hasMessage(txt + " is not a .npy file");
    }

    @Test
    void refusesAnUnsupportedDtype() throws IOException {
        byte[] file = write(new float[] {1, 2}, 2);
        byte[] patched = new String(file, StandardCharsets.ISO_8859_1).replace("'<f4'", "'<u2'").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> Npy.read(patched, "u2.npy"))
                .isInstanceOf(IOException.class)
                .hasMessage("u2.npy: unsupported dtype <u2 (float32 expected)");
    }

    @Test
    void refusesFortranOrder() throws IOException {
        byte[] file = write(new float[6], 2, 3);
        byte[] patched = new String(file, StandardCharsets.ISO_8859_1).replace("False", "True ").getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> Npy.read(patched, "f.npy"))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("f.npy: unsupported .npy header {'descr': '<f4', 'fortran_order': True");
    }

    @Test
    void refusesAFileShorterThanTheMagicWithAnIOException() {
        assertThatThrownBy(() -> Npy.read(new byte[] {(byte) 0x93, 'N'}, "short.npy"))
                .isInstanceOf(IOException.class)
                .hasMessage("short.npy is not a .npy file");
    }
}
