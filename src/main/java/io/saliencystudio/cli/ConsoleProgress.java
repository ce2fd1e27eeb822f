package io.saliencystudio.cli;

import io.saliencystudio.engine.explain.Progress;
import java.io.PrintWriter;

/**
 * Progress of long methods and metrics as lines on stderr: the first report, then at most one a second, so a log
 * stays short and a terminal still shows that work goes on.
 */
final class ConsoleProgress implements Progress {

    private static final long INTERVAL_NANOS = 1_000_000_000L;

    private final PrintWriter err;
    private boolean started;
    private long lastPrint;

    ConsoleProgress(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void report(long done, long total, String what) {
        long now = System.nanoTime();
        if (!started || now - lastPrint >= INTERVAL_NANOS) {
            err.printf("progress: %s %d/%d%n", what, done, total);
            err.flush();
            started = true;
            lastPrint = now;
        }
    }
}
