package io.saliencystudio.engine.explain;

import java.util.concurrent.CancellationException;

/**
 * Progress reports and cancellation for long work (multi-pass methods, metrics, sanity checks). Work calls
 * {@link #advance} between native passes; a cancelled token makes it throw {@link CancellationException} there, so
 * cancel takes effect within one pass.
 */
public interface Progress {

    /** Does nothing and never cancels. */
    Progress NONE = (done, total, what) -> { };

    /** Reports {@code done} of {@code total} units of the current step. */
    void report(long done, long total, String what);

    /** Whether the work should stop. */
    default boolean cancelled() {
        return false;
    }

    /** Reports, then throws {@link CancellationException} if cancelled. */
    default void advance(long done, long total, String what) {
        if (cancelled()) {
            throw new CancellationException("cancelled: " + what);
        }
        report(done, total, what);
    }
}
