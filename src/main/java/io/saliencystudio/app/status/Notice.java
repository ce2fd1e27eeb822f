package io.saliencystudio.app.status;

import java.time.Instant;

/**
 * A message for the user: a short headline they can act on; the stack trace stays in the log file. It may carry one
 * action (a button on the notification bar), e.g. "Show in folder".
 */
public record Notice(Severity severity, String message, Instant time, String actionText, Runnable action) {

    public Notice(Severity severity, String message, Instant time) {
        this(severity, message, time, null, null);
    }

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

    public static Notice info(String message, String actionText, Runnable action) {
        return new Notice(Severity.INFO, message, Instant.now(), actionText, action);
    }
}
