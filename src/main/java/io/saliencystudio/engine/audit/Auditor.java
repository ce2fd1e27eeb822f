package io.saliencystudio.engine.audit;

import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ImageLoadException;
import io.saliencystudio.engine.image.ModelInput;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Predicts a list of labelled images in batches and hands out one {@link AuditRow} per image: the shard-level
 * operation of an audit (images in, rows out), free of files and aggregates so that a distributed runner can wrap
 * it. Decoding runs on its own I/O threads, a few batches ahead of the predictor, so the next batch is ready while
 * the current one is on the inference thread; at most {@code lookahead} decoded batches (model-sized tensors, never
 * the full-size images) are held at once. No DJL: the predictor is given.
 */
public final class Auditor {

    /** Logits per image, in order; the engine's runs on the inference thread (the caller waits). */
    @FunctionalInterface
    public interface Predictor {
        List<float[]> logits(List<ModelInput> batch) throws Exception;
    }

    /** Decodes and preprocesses one file; called on the I/O threads, so it must be thread-safe. */
    @FunctionalInterface
    public interface Decoder {
        ModelInput decode(AuditItem item) throws ImageLoadException;
    }

    /** Receives the results, on the thread that called {@link #run}, in the order of the items. */
    public interface Sink {
        void rows(List<AuditRow> rows) throws IOException;

        void skipped(Skipped skipped) throws IOException;
    }

    /**
     * What a run did: rows produced, files skipped, the seconds it took (decoding included), and of those the seconds
     * spent in the predictor and waiting for decoded images (the rest is bookkeeping and the sink).
     */
    public record Result(int audited, int skipped, double seconds, double predictSeconds, double decodeWaitSeconds) {
        public double imagesPerSecond() {
            return seconds > 0 ? audited / seconds : Double.NaN;
        }
    }

    private final Decoder decoder;
    private final Predictor predictor;
    private final int batchSize;
    private final int ioThreads;
    private final int lookahead;

    /**
     * @param batchSize images per predictor call
     * @param ioThreads decoding threads
     * @param lookahead batches decoded ahead of the one being predicted (at least 1)
     */
    public Auditor(Decoder decoder, Predictor predictor, int batchSize, int ioThreads, int lookahead) {
        if (batchSize < 1 || ioThreads < 1 || lookahead < 1) {
            throw new IllegalArgumentException("batch size, I/O threads and lookahead must be at least 1");
        }
        this.decoder = decoder;
        this.predictor = predictor;
        this.batchSize = batchSize;
        this.ioThreads = ioThreads;
        this.lookahead = lookahead;
    }

    /** The outcome of decoding one item: an input or the reason it failed. */
    private record Decoded(AuditItem item, ModelInput input, String failure) {}

    /**
     * Audits {@code items} in order. Progress is reported after each batch; a cancelled {@code progress} stops
     * before the next batch with a {@link CancellationException}, after the rows of finished batches went to the
     * sink (so a later run can resume from them).
     *
     * @throws IOException when the sink fails
     * @throws Exception whatever the predictor throws
     */
    public Result run(List<AuditItem> items, Sink sink, Progress progress) throws Exception {
        long start = System.nanoTime();
        AtomicInteger threadNo = new AtomicInteger();
        ExecutorService io = Executors.newFixedThreadPool(ioThreads, r -> {
            Thread t = new Thread(r, "audit-io-" + threadNo.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        int audited = 0;
        int skipped = 0;
        long predictNanos = 0;
        long waitNanos = 0;
        try {
            Deque<List<Future<Decoded>>> queue = new ArrayDeque<>();
            int next = 0;
            int total = items.size();
            while (next < total || !queue.isEmpty()) {
                while (queue.size() <= lookahead && next < total) {
                    List<Future<Decoded>> batch = new ArrayList<>();
                    for (int end = Math.min(total, next + batchSize); next < end; next++) {
                        AuditItem item = items.get(next);
                        batch.add(io.submit(() -> decode(item)));
                    }
                    queue.add(batch);
                }
                if (progress.cancelled()) {
                    throw new CancellationException("audit cancelled after " + audited + " images");
                }
                List<ModelInput> inputs = new ArrayList<>();
                List<AuditItem> ok = new ArrayList<>();
                for (Future<Decoded> f : queue.poll()) {
                    long w = System.nanoTime();
                    Decoded d = get(f);
                    waitNanos += System.nanoTime() - w;
                    if (d.input() == null) {
                        sink.skipped(new Skipped(d.item().image(), d.failure()));
                        skipped++;
                    } else {
                        inputs.add(d.input());
                        ok.add(d.item());
                    }
                }
                if (!inputs.isEmpty()) {
                    long p = System.nanoTime();
                    List<float[]> logits = predictor.logits(inputs);
                    predictNanos += System.nanoTime() - p;
                    List<AuditRow> rows = new ArrayList<>(logits.size());
                    for (int i = 0; i < ok.size(); i++) {
                        rows.add(AuditRow.of(ok.get(i).image(), ok.get(i).trueIndex(), logits.get(i)));
                    }
                    sink.rows(rows);
                    audited += rows.size();
                }
                progress.report(audited + skipped, total, "images");
            }
        } finally {
            io.shutdownNow();
        }
        return new Result(audited, skipped, (System.nanoTime() - start) / 1e9, predictNanos / 1e9, waitNanos / 1e9);
    }

    private Decoded decode(AuditItem item) {
        try {
            return new Decoded(item, decoder.decode(item), null);
        } catch (ImageLoadException e) {
            // the skipped list names the file already
            String why = e.getMessage();
            String path = item.file().toString();
            return new Decoded(item, null, why.startsWith(path) ? why.substring(path.length()).replaceFirst("^[:\\s]+", "") : why);
        } catch (RuntimeException | OutOfMemoryError e) {
            return new Decoded(item, null, "could not be read (" + e + ")");
        }
    }

    private static Decoded get(Future<Decoded> f) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("decoding failed unexpectedly", e.getCause());
        }
    }
}
