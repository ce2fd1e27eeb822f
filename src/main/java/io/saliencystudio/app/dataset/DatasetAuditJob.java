package io.saliencystudio.app.dataset;

import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.engine.audit.AuditCache;
import io.saliencystudio.engine.audit.AuditDataset;
import io.saliencystudio.engine.audit.AuditItem;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.audit.Auditor;
import io.saliencystudio.engine.audit.PredictionsCsv;
import io.saliencystudio.engine.audit.Skipped;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one data set's {@link Auditor} off the UI thread. The audit's driver runs on its own thread ("dataset-audit")
 * and waits for each batch's logits, which the {@link InferenceService} computes on the inference thread (all DJL
 * work stays there; a batch is one queued call, so explanations asked meanwhile run between batches). Decoding runs
 * on the auditor's own I/O thread. Rows, skipped files, the end and failures are handed to the UI executor.
 *
 * <p>With an {@link AuditCache}, the rows an earlier audit of this model on this data set left are handed over
 * first (in chunks, so no UI frame takes them all) and only the other images are audited; every new batch is
 * appended to the cache file. The cache is a convenience: when it cannot be read or written the audit goes on
 * without it (logged).
 */
final class DatasetAuditJob {

    /** Images per prediction call: rows reach the table once per batch. */
    static final int BATCH = 64;
    /** Rows from the cache per hand-over to the UI: adding them to the table stays well inside one frame. */
    static final int RESUMED_CHUNK = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(DatasetAuditJob.class);

    /** What the job tells the UI, always on the UI executor. */
    interface Listener {
        void rows(List<AuditRow> rows, long done, long total);

        void skipped(Skipped skipped);

        void finished(Auditor.Result result, Throwable error);

        /** {@code rows} came from an earlier audit (already handed over through {@link #rows}). */
        default void resumed(int rows) {}
    }

    private static final ExecutorService DRIVER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dataset-audit");
        t.setDaemon(true);
        return t;
    });

    private volatile boolean cancelled;

    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled;
    }

    /**
     * Starts auditing {@code data} with {@code model}; returns at once.
     *
     * @param cache where earlier rows are read and new ones kept; {@code null} for none
     */
    void start(AuditDataset data, LoadedModel model, InferenceService inference, Executor fx, Listener listener,
            AuditCache cache) {
        ImageLoader loader = new ImageLoader();
        Preprocessor pre = new Preprocessor(model.manifest().input(), model.manifest().preprocessing());
        Auditor.Predictor predictor = inputs -> inference.predictBatch(model, inputs).join().stream()
                .map(Prediction::logits).toList();
        Auditor auditor = new Auditor(item -> pre.apply(loader.load(item.file()), item.image()), predictor, BATCH, 1, 2);
        long total = data.items().size();
        long[] done = {0};
        List<String> labels = model.modelPackage().labels();
        DRIVER.execute(() -> {
            Auditor.Result result = null;
            Throwable error = null;
            Resumption resumed = cache == null ? Resumption.NONE : resume(cache, data, model, labels, fx, listener, done);
            List<AuditItem> todo = data.items().stream().filter(i -> !resumed.images().contains(i.image())).toList();
            try (CacheWriter kept = resumed.writer()) {
                result = auditor.run(todo, new Auditor.Sink() {
                    @Override
                    public void rows(List<AuditRow> rows) {
                        kept.append(rows);
                        done[0] += rows.size();
                        post(fx, listener, rows, done[0], total);
                    }

                    @Override
                    public void skipped(Skipped s) {
                        done[0]++;
                        fx.execute(() -> listener.skipped(s));
                    }
                }, new Progress() {
                    @Override
                    public void report(long d, long t, String what) {
                        // the rows carry the count to the UI
                    }

                    @Override
                    public boolean cancelled() {
                        return cancelled;
                    }
                });
            } catch (CancellationException e) {
                error = e;
            } catch (Exception | Error e) {
                error = e;
            }
            Auditor.Result r = result;
            Throwable err = error;
            fx.execute(() -> listener.finished(r, err));
        });
    }

    /** Hands rows to the UI, unless the audit was cancelled by the time the UI thread gets them. */
    private void post(Executor fx, Listener listener, List<AuditRow> rows, long done, long total) {
        fx.execute(() -> {
            if (!cancelled) {
                listener.rows(rows, done, total);
            }
        });
    }

    /** What {@link #resume} handed over (never audited again) and where this run's rows are kept. */
    private record Resumption(Set<String> images, CacheWriter writer) {
        static final Resumption NONE = new Resumption(Set.of(), new CacheWriter(null));
    }

    /** Hands the cached rows to the UI and opens the cache file for this run's rows. */
    private Resumption resume(AuditCache cache, AuditDataset data, LoadedModel model, List<String> labels, Executor fx,
            Listener listener, long[] done) {
        List<AuditRow> rows;
        Path file;
        try {
            file = cache.file(model.manifest(), data);
            rows = cache.read(file, data, labels).rows();
        } catch (IOException | RuntimeException e) {
            LOG.warn("audit cache not read for {}: {}", data.root(), e.toString());
            return Resumption.NONE;
        }
        long total = data.items().size();
        for (int from = 0; from < rows.size(); from += RESUMED_CHUNK) {
            List<AuditRow> chunk = List.copyOf(rows.subList(from, Math.min(rows.size(), from + RESUMED_CHUNK)));
            done[0] += chunk.size();
            post(fx, listener, chunk, done[0], total);
        }
        if (!rows.isEmpty()) {
            fx.execute(() -> listener.resumed(rows.size()));
        }
        Set<String> images = new HashSet<>();
        rows.forEach(r -> images.add(r.image()));
        try {
            return new Resumption(images, new CacheWriter(cache.start(file, labels, rows)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("audit cache not written for {}: {}", data.root(), e.toString());
            return new Resumption(images, new CacheWriter(null));
        }
    }

    /** This run's rows into the cache file; a failed write closes it (logged) and the audit goes on without it. */
    private static final class CacheWriter implements AutoCloseable {
        private PredictionsCsv.Appender out;

        CacheWriter(PredictionsCsv.Appender out) {
            this.out = out;
        }

        void append(List<AuditRow> rows) {
            if (out == null) {
                return;
            }
            try {
                out.append(rows);
            } catch (IOException e) {
                LOG.warn("audit cache write failed, going on without it: {}", e.toString());
                close();
            }
        }

        @Override
        public void close() {
            if (out == null) {
                return;
            }
            try {
                out.close();
            } catch (IOException e) {
                LOG.warn("audit cache not closed cleanly: {}", e.toString());
            } finally {
                out = null;
            }
        }
    }
}
