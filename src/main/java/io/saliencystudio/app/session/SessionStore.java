package io.saliencystudio.app.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.saliencystudio.engine.figure.SafeWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@code session.json}. Writes are atomic ({@link SafeWrite}: a temporary file moved into place),
 * so a crash or power cut mid-write leaves the previous session, never half a file. A file that cannot be read is
 * moved aside to {@code session.json.bad} (kept for a bug report) and the app starts fresh. Any thread.
 */
public final class SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The outcome of reading: the session, or why there is none (null when there simply was no file). */
    public record Read(Optional<SessionState> session, String problem) {}

    private final Path file;

    public SessionStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public Read read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Read(Optional.empty(), null);
        } catch (IOException e) {
            LOG.warn("cannot read {}", file, e);
            return new Read(Optional.empty(), "The last session could not be read (" + e.getMessage()
                    + "); the app started with a fresh one.");
        }
        try {
            SessionState s = JSON.readValue(bytes, SessionState.class);
            if (s == null || s.format() < 1 || s.format() > SessionState.FORMAT) {
                throw new IOException("unknown session format " + (s == null ? "none" : s.format()));
            }
            return new Read(Optional.of(s), null);
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".bad");
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warn("cannot move the damaged session aside", moveFailed);
            }
            LOG.warn("session file {} is damaged; moved to {}", file, aside, e);
            return new Read(Optional.empty(), "The last session could not be restored (its file is damaged; kept "
                    + "as " + aside.getFileName() + "). The app started with a fresh one.");
        }
    }

    /** Writes atomically, replacing the previous session. */
    public void write(SessionState state) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] bytes = JSON.writeValueAsBytes(state);
        SafeWrite.write(file, true, out -> out.write(bytes));
    }
}
