package io.saliencystudio.app.status;

import io.saliencystudio.app.explain.ExplainViewModel;
import io.saliencystudio.app.model.ModelViewModel;
import io.saliencystudio.app.service.PredictionQueue;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.engine.runtime.TorchRuntime;
import java.util.Locale;
import javafx.beans.Observable;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The status bar's state, derived from the work in progress: model loading, the running explanation and the
 * prediction job. One cancel stops the explanation and the job. UI thread only.
 */
public final class StatusViewModel {

    private final ModelViewModel models;
    private final ExplainViewModel explain;
    private final PredictionQueue predictions;
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "Starting…");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyBooleanWrapper working = new ReadOnlyBooleanWrapper(this, "working");
    private final ReadOnlyBooleanWrapper cancellable = new ReadOnlyBooleanWrapper(this, "cancellable");
    private final ReadOnlyStringWrapper timing = new ReadOnlyStringWrapper(this, "timing", "");
    private final ReadOnlyStringWrapper device = new ReadOnlyStringWrapper(this, "device", "CPU");
    private final ReadOnlyStringWrapper task = new ReadOnlyStringWrapper(this, "task");

    public StatusViewModel(ModelViewModel models, ExplainViewModel explain, PredictionQueue predictions) {
        this.models = models;
        this.explain = explain;
        this.predictions = predictions;
        Observable[] inputs = {models.loadingProperty(), models.loadingTextProperty(), explain.busyProperty(),
            predictions.runningProperty(), predictions.progressProperty(), predictions.messageProperty(),
            models.loadedProperty(), task};
        for (Observable o : inputs) {
            o.addListener(x -> update());
        }
        explain.screenMillisProperty().addListener(x -> updateTiming());
        models.loadedProperty().addListener(x -> updateDevice());
        models.deviceProperty().addListener(x -> updateDevice());
        update();
        updateDevice();
    }

    /** Stops the running explanation and the prediction job. Model loading cannot be interrupted natively. */
    public void cancel() {
        explain.cancel();
        predictions.cancel();
    }

    private void update() {
        boolean loading = models.loadingProperty().get();
        boolean busy = explain.busyProperty().get();
        boolean predicting = predictions.runningProperty().get();
        String background = task.get();
        working.set(loading || busy || predicting || background != null);
        cancellable.set(busy || predicting);
        if (loading) {
            message.set(models.loadingTextProperty().get());
            progress.set(-1);
        } else if (busy) {
            message.set("Explaining…");
            progress.set(-1);
        } else if (background != null) {
            // A job the user asked for (an export) wins over the background prediction's counter.
            message.set(background);
            progress.set(-1);
        } else if (predicting) {
            message.set(predictions.messageProperty().get());
            progress.set(predictions.progressProperty().get());
        } else {
            LoadedModel m = models.loaded();
            message.set(m == null ? "No model loaded" : "Ready");
            progress.set(0);
        }
    }

    /** Shows a background job (e.g. a figure export) with indeterminate progress; UI thread. */
    public void beginTask(String message) {
        task.set(message);
    }

    /** Ends what {@link #beginTask} showed; UI thread. */
    public void endTask() {
        task.set(null);
    }

    private void updateTiming() {
        double screen = explain.screenMillisProperty().get();
        double engine = explain.engineMillisProperty().get();
        if (Double.isNaN(screen)) {
            timing.set("");
        } else if (engine == 0) {
            timing.set(String.format(Locale.ROOT, "Last explanation: cached · %.0f ms to screen", screen));
        } else {
            timing.set(String.format(Locale.ROOT, "Last explanation: %.0f ms engine · %.0f ms to screen", engine,
                    screen));
        }
    }

    private void updateDevice() {
        ComputeDevice d = models.deviceProperty().get();
        int threads = TorchRuntime.threads();
        device.set(d == ComputeDevice.GPU ? "GPU (CUDA)"
                : "CPU · " + threads + (threads == 1 ? " thread" : " threads"));
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Fraction done, {@code -1} for "busy, unknown how long", 0 when idle. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty workingProperty() {
        return working.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty cancellableProperty() {
        return cancellable.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty timingProperty() {
        return timing.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty deviceProperty() {
        return device.getReadOnlyProperty();
    }
}
