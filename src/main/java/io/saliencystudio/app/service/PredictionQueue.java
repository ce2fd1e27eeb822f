package io.saliencystudio.app.service;

import io.saliencystudio.engine.Failures;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Predicts every listed image, one image per engine call, so an interactive explanation never waits behind more
 * than one of them, and cancellation is checked between images. Confined to the UI thread: call it there; results
 * come back there.
 */
public final class PredictionQueue {

    /** Receives results on the UI thread. */
    public interface Listener {
        void predicted(ImageSource image, Prediction prediction);

        void failed(ImageSource image, Throwable error);
    }

    private final InferenceService service;
    private final Executor fx;
    private final ArrayDeque<ImageSource> pending = new ArrayDeque<>();
    private final AtomicLong run = new AtomicLong();
    private final AtomicReference<CompletableFuture<?>> current = new AtomicReference<>();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyIntegerWrapper completed = new ReadOnlyIntegerWrapper(this, "completed");
    private Listener listener = new Listener() {
        @Override
        public void predicted(ImageSource image, Prediction prediction) {}

        @Override
        public void failed(ImageSource image, Throwable error) {}
    };
    private LoadedModel model;
    private boolean busy;
    private int done;
    private int total;

    PredictionQueue(InferenceService service, Executor fx) {
        this.service = service;
        this.fx = fx;
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** Adds images to predict with {@code model}; a different model than the running job's restarts the job. */
    public void submit(LoadedModel model, List<ImageSource> images) {
        if (model != this.model) {
            cancel();
            this.model = model;
        }
        if (images.isEmpty()) {
            return;
        }
        pending.addAll(images);
        total += images.size();
        update();
        if (!busy) {
            next();
        }
    }

    /** Stops the job: the image being predicted is dropped (skipped if still queued), the rest are not started. */
    public void cancel() {
        run.incrementAndGet();
        pending.clear();
        CompletableFuture<?> f = current.getAndSet(null);
        if (f != null) {
            f.cancel(false);
        }
        busy = false;
        done = 0;
        total = 0;
        update();
    }

    private void next() {
        ImageSource image = pending.poll();
        if (image == null) {
            busy = false;
            done = 0;
            total = 0;
            update();
            return;
        }
        busy = true;
        long myRun = run.get();
        LoadedModel m = model;
        Listener l = listener;
        var known = service.knownPrediction(image, m);
        CompletableFuture<Prediction> work = known.isPresent() ? CompletableFuture.completedFuture(known.get())
                : service.images().prepare(image, m.modelPackage()).thenCompose(prepared -> {
                    if (myRun != run.get()) {
                        throw new Superseded();
                    }
                    return service.predictOne(m, prepared, current);
                });
        work.whenComplete((prediction, error) -> fx.execute(() -> {
            if (myRun != run.get()) {
                return;
            }
            done++;
            completed.set(completed.get() + 1);
            if (error == null) {
                l.predicted(image, prediction);
            } else if (!Superseded.is(error)) {
                l.failed(image, Failures.rootCause(error));
            }
            update();
            next();
        }));
    }

    private void update() {
        running.set(busy || !pending.isEmpty());
        progress.set(total == 0 ? 0 : (double) done / total);
        message.set(total == 0 ? "" : "Predicting " + Math.min(done + 1, total) + " of " + total);
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Images predicted (or failed) since the app started; for tests and the status bar. */
    public ReadOnlyIntegerProperty completedProperty() {
        return completed.getReadOnlyProperty();
    }

    /** Images still waiting. */
    public int pendingCount() {
        return pending.size();
    }
}
