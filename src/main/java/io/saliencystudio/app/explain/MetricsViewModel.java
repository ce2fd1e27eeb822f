package io.saliencystudio.app.explain;

import io.saliencystudio.engine.Failures;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;

/**
 * Faithfulness of the shown maps, on request: deletion/insertion curves and average drop per method, computed on the
 * inference thread with progress and cancel, under one protocol ({@link FaithfulnessSettings}, RISE's unless the user
 * chose another). A result belongs to the exact map it was computed for: when the map changes (another image, class,
 * layer or setting) the old result no longer shows. Results of different protocols are never shown side by side:
 * changing the protocol drops every result and stops running evaluations. UI thread only.
 */
public final class MetricsViewModel {

    /** Where one method's evaluation stands: running ({@code progress} set), done ({@code result}) or failed. */
    public record State(Heatmap map, Faithfulness result, Double progress, String problem) {
        public boolean running() {
            return progress != null;
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MetricsViewModel.class);

    private final ExplainViewModel explain;
    private final InferenceService inference;
    private final Executor fx;
    private final ObjectProperty<FaithfulnessSettings> protocol = new SimpleObjectProperty<>(this, "protocol");
    private final ObservableMap<Method, State> states = FXCollections.observableMap(new EnumMap<>(Method.class));
    private final ObservableMap<Method, State> statesView = FXCollections.unmodifiableObservableMap(states);
    private final Map<Method, AtomicBoolean> cancels = new EnumMap<>(Method.class);

    public MetricsViewModel(ExplainViewModel explain, InferenceService inference, Executor fx,
            FaithfulnessSettings protocol) {
        this.explain = explain;
        this.inference = inference;
        this.fx = fx;
        this.protocol.set(protocol);
        this.protocol.addListener((o, was, now) -> {
            if (!now.equals(was)) {
                // The numbers depend on the protocol: old ones next to new ones would compare unlike with unlike.
                cancelAll();
                cancels.clear(); // their late completions find no owner and are dropped
                states.clear();
            }
        });
    }

    /** Evaluates the shown map of {@code method}; nothing if there is none or it is already being evaluated. */
    public void evaluate(Method method) {
        ExplainOutcome shown = explain.outcome();
        Heatmap map = shown == null ? null : shown.map(method);
        State now = states.get(method);
        if (map == null || now != null && now.map() == map && (now.running() || now.result() != null)) {
            return;
        }
        AtomicBoolean cancel = new AtomicBoolean();
        cancels.put(method, cancel);
        states.put(method, new State(map, null, -1.0, null));
        inference.faithfulness(shown, method, protocol.get(), progress(method, map, cancel)).whenComplete((f, e) ->
                fx.execute(() -> {
                    if (cancels.get(method) != cancel) {
                        return; // a newer evaluation of this method took over
                    }
                    cancels.remove(method);
                    if (e == null) {
                        states.put(method, new State(map, f, null, null));
                    } else {
                        Throwable c = Failures.rootCause(e);
                        boolean cancelled = c instanceof java.util.concurrent.CancellationException;
                        if (!cancelled) {
                            LOG.warn("evaluating {} failed", method.id(), c);
                        }
                        states.put(method, new State(map, null, null, cancelled ? "Cancelled."
                                : "Could not evaluate: " + Failures.message(c)));
                    }
                }));
    }

    /** Evaluates every shown method that has a map. */
    public void evaluateAll() {
        ExplainOutcome shown = explain.outcome();
        if (shown != null) {
            explain.methods().stream().filter(m -> shown.map(m) != null).forEach(this::evaluate);
        }
    }

    /** Stops an evaluation within one pass. */
    public void cancel(Method method) {
        AtomicBoolean c = cancels.get(method);
        if (c != null) {
            c.set(true);
        }
    }

    public void cancelAll() {
        cancels.values().forEach(c -> c.set(true));
    }

    /** Shows a result as if computed (tests and restored sessions). */
    public void put(Method method, Heatmap map, Faithfulness result) {
        states.put(method, new State(map, result, null, null));
    }

    /** The state of {@code method} for the map now shown, or {@code null} when nothing was evaluated for it. */
    public State state(Method method, Heatmap shownMap) {
        State s = states.get(method);
        return s != null && s.map() == shownMap && shownMap != null ? s : null;
    }

    public ObservableMap<Method, State> states() {
        return statesView;
    }

    /** The protocol of the next evaluations and of every result shown. */
    public FaithfulnessSettings protocol() {
        return protocol.get();
    }

    /** Another protocol: results and running evaluations of the old one are dropped (nothing if it is the same). */
    public void setProtocol(FaithfulnessSettings p) {
        protocol.set(java.util.Objects.requireNonNull(p));
    }

    public ObjectProperty<FaithfulnessSettings> protocolProperty() {
        return protocol;
    }

    /**
     * The protocol in the words of a caption, with its automatic values worked out for an input {@code width} pixels
     * wide ({@code null}: no model yet): "RISE, 96 px/step, probability, blur 2.1 px".
     */
    public static String caption(FaithfulnessSettings p, Integer width) {
        String name = p.equals(FaithfulnessSettings.RISE) ? "RISE" : "Custom";
        String score = p.probability() ? "probability" : "logit";
        if (width == null) {
            return String.format(Locale.ROOT, "%s, %s px/step, %s, blur %s", name,
                    p.pixelsPerStep() > 0 ? String.valueOf(p.pixelsPerStep()) : "one row of",
                    score, p.insertionBlurSigma() > 0
                            ? String.format(Locale.ROOT, "%.1f px", p.insertionBlurSigma()) : "5 px at 224");
        }
        return String.format(Locale.ROOT, "%s, %d px/step, %s, blur %.1f px", name, p.pixelsPerStepFor(width), score,
                p.blurSigmaFor(width));
    }

    /** {@link #caption} for the model now chosen. */
    public String caption() {
        var model = explain.modelProperty().get();
        Integer width = model == null ? null : model.manifest().input().width();
        return caption(protocol.get(), width);
    }

    private Progress progress(Method method, Heatmap map, AtomicBoolean cancel) {
        AtomicLong last = new AtomicLong();
        return new Progress() {
            @Override
            public void report(long done, long total, String what) {
                long t = System.nanoTime();
                if (total <= 0 || t - last.get() < 50_000_000L) {
                    return;
                }
                last.set(t);
                double fraction = done / (double) total;
                fx.execute(() -> {
                    if (cancels.get(method) == cancel) {
                        states.put(method, new State(map, null, fraction, null));
                    }
                });
            }

            @Override
            public boolean cancelled() {
                return cancel.get();
            }
        };
    }
}
