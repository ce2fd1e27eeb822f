package io.saliencystudio.engine;

import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * What went wrong, past the wrappers that futures add. Work runs on the inference and I/O threads, so a failure
 * reaches the app and the CLI wrapped in {@link CompletionException} or {@link ExecutionException} (and I/O in
 * {@link UncheckedIOException}); users should read the cause's own sentence, not the wrapper's {@code toString}.
 * Used by the engine, the CLI and the app alike, so it lives here.
 */
public final class Failures {

    private Failures() {
    }

    /** The failure inside future wrappers ({@link CompletionException}, {@link ExecutionException}). */
    public static Throwable rootCause(Throwable error) {
        Throwable c = error;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /**
     * One readable sentence: the message of the first throwable past the wrappers (futures' and
     * {@link UncheckedIOException}) that has one, else the simple class name of the innermost one reached.
     */
    public static String message(Throwable error) {
        Throwable c = error;
        while (c.getCause() != null && (isWrapper(c) || blank(c.getMessage()))) {
            c = c.getCause();
        }
        return blank(c.getMessage()) ? c.getClass().getSimpleName() : c.getMessage();
    }

    /** Whether the failure is a cancellation (the user's, or a superseded request), however wrapped. */
    public static boolean isCancellation(Throwable error) {
        return rootCause(error) instanceof CancellationException;
    }

    private static boolean isWrapper(Throwable t) {
        return t instanceof CompletionException || t instanceof ExecutionException
                || t instanceof UncheckedIOException;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
