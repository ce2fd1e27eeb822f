package io.saliencystudio.engine.figure;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;

/**
 * Writes a file so that it is either complete or absent: the bytes go to a temporary file in the target's folder,
 * which is moved into place atomically once fully written and closed. An existing file is only replaced when asked.
 */
public final class SafeWrite {

    /** Writes the content to a stream. */
    @FunctionalInterface
    public interface Body {
        void write(OutputStream out) throws IOException;
    }

    /** The target exists and overwriting was not asked for. */
    public static final class ExistsException extends FileAlreadyExistsException {
        public ExistsException(Path file) {
            super(file.toString(), null, file + " already exists and was left untouched (allow overwriting to replace it)");
        }

        @Override
        public String getMessage() {
            return getReason();
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private SafeWrite() {}

    /** Fails with {@link ExistsException} if {@code file} exists and {@code overwrite} is false. */
    public static void checkTarget(Path file, boolean overwrite) throws IOException {
        if (!overwrite && Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ExistsException(file);
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a folder: give a file name");
        }
    }

    /**
     * Writes {@code file} atomically. On any failure the temporary file is deleted and the target is as before.
     *
     * @throws IOException with a message that names the file and the reason
     */
    public static void write(Path file, boolean overwrite, Body body) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        checkTarget(target, overwrite);
        Path dir = target.getParent();
        // Not Files.createTempFile: its 0600 permissions would stay on the figure; CREATE_NEW honours the umask.
        Path tmp = dir.resolve("." + target.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".part");
        OutputStream raw;
        try {
            raw = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": folder " + dir + " is not writable or missing ("
                    + reason(e) + ")", e);
        }
        try {
            try (OutputStream out = new BufferedOutputStream(new Interruptible(raw), 1 << 16)) {
                body.write(out);
            }
            checkTarget(target, overwrite);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (ExistsException e) {
            Files.deleteIfExists(tmp);
            throw e;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("could not write " + target + ": " + reason(e) + "; nothing was left behind", e);
        }
    }

    /**
     * Stops a write when its thread is interrupted (the app closing, a cancelled export): file streams of the default
     * file system ignore interrupts, so a long figure would otherwise keep writing while the app waits to exit.
     * Checked per buffer flush, not per byte.
     */
    private static final class Interruptible extends FilterOutputStream {
        Interruptible(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            check();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            check();
            out.write(b, off, len);
        }

        private static void check() throws InterruptedIOException {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted (the app is closing or the export was cancelled)");
            }
        }
    }

    /** The message, with the root cause's when a library wrapped it (ImageIO hides "No space left on device"). */
    static String reason(Throwable e) {
        String m = describe(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String r = describe(root);
        return root == e || m.contains(r) ? m : m + " (" + r + ")";
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : e instanceof java.nio.file.FileSystemException ? type + ": " + m : m;
    }
}
