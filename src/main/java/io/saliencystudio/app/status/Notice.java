package io.saliencystudio.app.status;

import java.time.Instant;

/** A message for the user: a short headline they can act on; the stack trace stays in the log file. */
public record Notice(Severity severity, String message, Instant time) {

    public enum Severity { INFO, WARNING, ERROR }

    public static Notice error(String message) {
        return new Notice(Severity.ERROR, message, Instant.now());
    }

    public static Notice warning(String message) {
        return new Notice(Severity.WARNING, message, Instant.now());
    }

    public static Notice info(String message) {
        return new Notice(Severity.INFO, message, Instant.now());
    }
}
