package io.saliencystudio.engine.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** NumPy {@code .npy} (format 1.0), little-endian float32 only: what the app writes and the tests read back. */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([^']*)'");

    private Npy() {}

    /** A float32 array with its shape. */
    public record Array(int[] shape, float[] data) {

        public Array {
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
            }
        }
    }

    public static void write(OutputStream out, float[] data, int... shape) throws IOException {
        new Array(shape, data);
        String dims = Arrays.stream(shape).mapToObj(Integer::toString).collect(Collectors.joining(", "));
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + (shape.length == 1 ? "," : "") + "), }";
        // Pad so that magic + version + length + header + '\n' is a multiple of 64, as NumPy does.
        int unpadded = MAGIC.length + 2 + 2 + header.length() + 1;
        header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        ByteBuffer head = ByteBuffer.allocate(MAGIC.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        out.write(head.array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer body = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.asFloatBuffer().put(data);
        out.write(body.array());
    }

    public static void write(Path file, float[] data, int... shape) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, data, shape);
        }
    }

    public static Array read(Path file) throws IOException {
        return read(Files.readAllBytes(file), file.toString());
    }

    public static Array read(byte[] bytes, String name) throws IOException {
        if (bytes.length < MAGIC.length + 4) {
            throw new IOException(name + " is not a .npy file");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (byte m : MAGIC) {
            if (b.get() != m) {
                throw new IOException(name + " is not a .npy file");
            }
        }
        int major = b.get();
        b.get();
        int headerLen = major == 1 ? Short.toUnsignedInt(b.getShort()) : b.getInt();
        byte[] headerBytes = new byte[headerLen];
        b.get(headerBytes);
        String header = new String(headerBytes, StandardCharsets.US_ASCII);
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find() || header.contains("'fortran_order': True")) {
            throw new IOException(name + ": unsupported .npy header " + header.strip());
        }
        int[] shape = Arrays.stream(s.group(1).split(",")).map(String::strip).filter(t -> !t.isEmpty())
                .mapToInt(Integer::parseInt).toArray();
        int n = Arrays.stream(shape).reduce(1, (x, y) -> x * y);
        float[] data = new float[n];
        switch (d.group(1)) {
            case "<f4" -> b.asFloatBuffer().get(data);
            case "<f8" -> {
                for (int i = 0; i < n; i++) {
                    data[i] = (float) b.getDouble();
                }
            }
            case "<i8" -> {
                for (int i = 0; i < n; i++) {
                    data[i] = b.getLong();
                }
            }
            default -> throw new IOException(name + ": unsupported dtype " + d.group(1) + " (float32 expected)");
        }
        return new Array(shape, data);
    }
}
