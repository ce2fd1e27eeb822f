package io.saliencystudio.app.service;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets through at most one progress report per interval, and always the last one (done == total), so a multi-pass
 * method reporting every batch does not flood the UI thread with runLater calls. Thread-safe.
 */
final class ProgressThrottle {

    /** The UI needs no more than about 20 updates a second to look smooth. */
    static final long DEFAULT_INTERVAL_NANOS = 50_000_000L;

    private final long intervalNanos;
    private final AtomicLong last = new AtomicLong();

    ProgressThrottle(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    /** Whether a report of {@code done} of {@code total} at time {@code nowNanos} should be passed on. */
    boolean pass(long done, long total, long nowNanos) {
        long prev = last.get();
        if (done < total && nowNanos - prev < intervalNanos) {
            return false;
        }
        // Two threads reporting at once: only one of them passes.
        return last.compareAndSet(prev, nowNanos);
    }
}
