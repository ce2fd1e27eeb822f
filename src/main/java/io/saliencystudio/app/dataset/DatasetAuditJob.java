package io.saliencystudio.app.dataset;

import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.engine.audit.AuditDataset;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.audit.Auditor;
import io.saliencystudio.engine.audit.Skipped;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one data set's {@link Auditor} off the UI thread. The audit's driver runs on its own thread ("dataset-audit")
 * and waits for each batch's logits, which the {@link InferenceService} computes on the inference thread (all DJL
 * work stays there; a batch is one queued call, so explanations asked meanwhile run between batches). Decoding runs
 * on the auditor's own I/O thread. Rows, skipped files, the end and failures are handed to the UI executor.
 */
final class DatasetAuditJob {

    /** Images per prediction call: rows reach the table once per batch. */
    static final int BATCH = 64;

    /** What the job tells the UI, always on the UI executor. */
    interface Listener {
        void rows(List<AuditRow> rows, long done, long total);

        void skipped(Skipped skipped);

        void finished(Auditor.Result result, Throwable error);
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

    /** Starts auditing {@code data} with {@code model}; returns at once. */
    void start(AuditDataset data, LoadedModel model, InferenceService inference, Executor fx, Listener listener) {
        ImageLoader loader = new ImageLoader();
        Preprocessor pre = new Preprocessor(model.manifest().input(), model.manifest().preprocessing());
        Auditor.Predictor predictor = inputs -> inference.predictBatch(model, inputs).join().stream()
                .map(Prediction::logits).toList();
        Auditor auditor = new Auditor(item -> pre.apply(loader.load(item.file()), item.image()), predictor, BATCH, 1, 2);
        long total = data.items().size();
        long[] done = {0};
        DRIVER.execute(() -> {
            Auditor.Result result = null;
            Throwable error = null;
            try {
                result = auditor.run(data.items(), new Auditor.Sink() {
                    @Override
                    public void rows(List<AuditRow> rows) {
                        done[0] += rows.size();
                        long d = done[0];
                        fx.execute(() -> {
                            if (!cancelled) {
                                listener.rows(rows, d, total);
                            }
                        });
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
}
