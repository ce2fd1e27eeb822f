package io.saliencystudio.engine.explain.gradient;

import io.saliencystudio.engine.explain.Progress;

/** Multi-pass methods run their inputs through the network a batch at a time, with progress and cancel in between. */
final class Batches {

    /** Work on the items {@code [from, to)}. */
    @FunctionalInterface
    interface Chunk {
        void run(int from, int to);
    }

    private Batches() {}

    /**
     * Runs {@code chunk} over {@code 0..count-1} in slices of at most {@code batchSize}; before each slice it reports
     * how many items are done, so a cancelled {@code progress} stops the work within one native pass.
     */
    static void run(int count, int batchSize, Progress progress, String what, Chunk chunk) {
        int size = Math.max(1, batchSize);
        for (int from = 0; from < count; from += size) {
            progress.advance(from, count, what);
            chunk.run(from, Math.min(count, from + size));
        }
        progress.advance(count, count, what);
    }
}
