package io.saliencystudio.app.sanity;

import io.saliencystudio.engine.Failures;
import io.saliencystudio.app.explain.ExplainViewModel;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.sanity.SanityReport;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The one-click sanity check: cascading model-parameter randomisation for the shown image, class and layer and the
 * shown methods, on a private copy of the model, in the background with progress and cancel. UI thread only.
 */
public final class SanityViewModel {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SanityViewModel.class);

    /** Fixed so a check can be repeated; recorded in the window. */
    public static final long SEED = 0L;

    private final ExplainViewModel explain;
    private final InferenceService inference;
    private final Executor fx;
    private final ReadOnlyObjectWrapper<SanityReport> report = new ReadOnlyObjectWrapper<>(this, "report");
    private final ReadOnlyObjectWrapper<ExplainOutcome> subject = new ReadOnlyObjectWrapper<>(this, "subject");
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private AtomicBoolean cancel = new AtomicBoolean();

    public SanityViewModel(ExplainViewModel explain, InferenceService inference, Executor fx) {
        this.explain = explain;
        this.inference = inference;
        this.fx = fx;
    }

    /**
     * Starts the check for what is on screen. Returns false (and says why in {@link #messageProperty}) when there
     * is nothing to check yet.
     */
    public boolean run() {
        ExplainOutcome shown = explain.outcome();
        Set<Method> methods = EnumSet.noneOf(Method.class);
        if (shown != null) {
            explain.methods().stream().filter(explain::available).forEach(methods::add);
        }
        if (shown == null || methods.isEmpty()) {
            message.set("Open an image and show at least one method first: the check explains what is on screen.");
            return false;
        }
        cancel.set(true);
        AtomicBoolean mine = new AtomicBoolean();
        cancel = mine;
        subject.set(shown);
        report.set(null);
        running.set(true);
        progress.set(-1);
        message.set("Randomising the model from the top layer down…");
        inference.sanityCheck(shown, methods, SEED, progress(mine)).whenComplete((r, e) -> fx.execute(() -> {
            if (cancel != mine) {
                return;
            }
            running.set(false);
            if (e == null) {
                report.set(r);
                message.set("");
                return;
            }
            Throwable c = Failures.rootCause(e);
            if (c instanceof CancellationException) {
                message.set("Cancelled.");
            } else {
                LOG.warn("sanity check failed", c);
                message.set("The sanity check failed: " + Failures.message(c));
            }
        }));
        return true;
    }

    /** Stops the check within one pass. */
    public void cancel() {
        cancel.set(true);
        if (running.get()) {
            running.set(false);
            message.set("Cancelled.");
        }
    }

    /** Shows a finished report (tests, or a report computed elsewhere). */
    public void show(ExplainOutcome about, SanityReport r) {
        cancel.set(true);
        subject.set(about);
        running.set(false);
        message.set("");
        report.set(r);
    }

    private Progress progress(AtomicBoolean mine) {
        AtomicLong last = new AtomicLong();
        return new Progress() {
            @Override
            public void report(long done, long total, String what) {
                long t = System.nanoTime();
                if (t - last.get() < 50_000_000L) {
                    return;
                }
                last.set(t);
                fx.execute(() -> {
                    if (cancel == mine && running.get()) {
                        progress.set(total <= 0 ? -1 : done / (double) total);
                        if (what != null && !what.isBlank()) {
                            message.set(what);
                        }
                    }
                });
            }

            @Override
            public boolean cancelled() {
                return mine.get();
            }
        };
    }

    public ReadOnlyObjectProperty<SanityReport> reportProperty() {
        return report.getReadOnlyProperty();
    }

    /** The explanation the check was run for. */
    public ReadOnlyObjectProperty<ExplainOutcome> subjectProperty() {
        return subject.getReadOnlyProperty();
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
}
