package io.saliencystudio.app.dataset;

import io.saliencystudio.app.explain.MetricsViewModel;
import io.saliencystudio.engine.Failures;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.figure.SafeWrite;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.metrics.FaithfulnessSummary;
import io.saliencystudio.engine.metrics.Spread;
import io.saliencystudio.app.service.ImageSource;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableSet;

/**
 * "Evaluate selection" in the data set view: faithfulness over the selected rows' images, per method, as means with
 * their spread ({@link FaithfulnessSummary}, the aggregation the CLI's {@code evaluate} uses), under the main
 * window's protocol and method settings. Each image is scored for its top class; layer methods use the model's
 * default layer. A new evaluation cancels the one running, whose late results are dropped. UI thread only.
 */
public final class SelectionEvaluationViewModel {

    private final DatasetViewModel dataset;
    private final InferenceService inference;
    private final Executor fx;
    private final Supplier<FaithfulnessSettings> protocol;
    private final Supplier<MethodSettings> settings;
    private final ObservableSet<Method> methods = FXCollections.observableSet(EnumSet.copyOf(Method.core()));
    private final ObservableList<FaithfulnessSummary.Line> lines = FXCollections.observableArrayList();
    private final ObservableList<FaithfulnessSummary.Failure> failures = FXCollections.observableArrayList();
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final DoubleProperty progress = new SimpleDoubleProperty();
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty caption = new SimpleStringProperty("");
    private FaithfulnessSummary summary = new FaithfulnessSummary();
    private SelectionEvaluation job;
    private List<AuditRow> lastRows = List.of();

    public SelectionEvaluationViewModel(DatasetViewModel dataset, InferenceService inference, Executor fx,
            Supplier<FaithfulnessSettings> protocol, Supplier<MethodSettings> settings) {
        this.dataset = dataset;
        this.inference = inference;
        this.fx = fx;
        this.protocol = protocol;
        this.settings = settings;
    }

    /** The methods the data set's model can run, to choose from. */
    public List<Method> available() {
        LoadedModel model = dataset.model();
        return model == null ? List.of() : Arrays.stream(Method.values())
                .filter(m -> m.availableOn(model.hasTaps(), model.hasAttention())).toList();
    }

    /**
     * Evaluates {@code rows}' images with the chosen methods; a running evaluation is cancelled first and its
     * results cleared. Returns false (with a message saying why) when there is nothing to evaluate.
     */
    public boolean evaluate(List<AuditRow> rows) {
        cancel();
        summary = new FaithfulnessSummary();
        lines.clear();
        failures.clear();
        progress.set(0);
        lastRows = List.copyOf(rows);
        LoadedModel model = dataset.model();
        Set<Method> chosen = EnumSet.noneOf(Method.class);
        List<Method> can = available();
        methods.stream().filter(can::contains).forEach(chosen::add);
        List<SelectionEvaluation.Item> items = new ArrayList<>();
        for (AuditRow r : rows) {
            Path f = dataset.file(r);
            if (f != null) {
                items.add(new SelectionEvaluation.Item(r.image(), ImageSource.of(f)));
            }
        }
        if (model == null || items.isEmpty() || chosen.isEmpty()) {
            message.set(model == null ? "No model: open a data set with a model first."
                    : items.isEmpty() ? "Select one or more rows to evaluate."
                    : "Choose at least one method the model can run.");
            caption.set("");
            return false;
        }
        FaithfulnessSettings p = protocol.get();
        caption.set(describe(items.size(), model, chosen, p));
        SelectionEvaluation j = new SelectionEvaluation();
        job = j;
        running.set(true);
        message.set("0 of " + items.size() + " images");
        long start = System.nanoTime();
        j.start(items, new SelectionEvaluation.Plan(model, chosen, settings.get(), p), inference, fx,
                new SelectionEvaluation.Listener() {
                    @Override
                    public void evaluated(String image, Method method, Faithfulness result) {
                        if (job == j) {
                            summary.add(image, method, result, null);
                            lines.setAll(summary.lines());
                        }
                    }

                    @Override
                    public void failed(String image, Method method, String reason) {
                        if (job == j) {
                            summary.fail(image, method, reason);
                            failures.setAll(summary.failures());
                        }
                    }

                    @Override
                    public void progress(int done, int total) {
                        if (job == j) {
                            progress.set((double) done / total);
                            message.set(done + " of " + total + " images");
                        }
                    }

                    @Override
                    public void finished(boolean cancelled, Throwable error) {
                        if (job != j) {
                            return;
                        }
                        running.set(false);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        String failed = failures.isEmpty() ? "" : ", " + failures.size() + " failed";
                        message.set(cancelled ? "Cancelled after " + summary.images() + " of " + items.size() + " images"
                                : error != null ? "Evaluation failed: " + error.getMessage()
                                : String.format(Locale.ROOT, "%d of %d images in %.1f s%s", summary.images(),
                                        items.size(), seconds, failed));
                    }
                });
        return true;
    }

    /** The last rows again, with the methods chosen now. */
    public boolean evaluateAgain() {
        return evaluate(lastRows);
    }

    /** Stops the running evaluation within one native pass; the results so far stay. */
    public void cancel() {
        if (job != null && running.get()) {
            job.cancel();
            running.set(false);
            message.set("Cancelled after " + summary.images() + " images");
        }
    }

    /** The table (and the failures) as CSV, as shown now. */
    public String csv() {
        return summary.csv();
    }

    /** Writes {@link #csv} to {@code file} on {@code io}, replacing it (the caller has asked); completes on the UI. */
    public CompletableFuture<Path> writeCsv(Path file, Executor io) {
        byte[] bytes = csv().getBytes(StandardCharsets.UTF_8);
        CompletableFuture<Path> onUi = new CompletableFuture<>();
        CompletableFuture.runAsync(() -> {
            try {
                SafeWrite.write(file, true, out -> out.write(bytes)); // temporary file moved into place: never half a file
            } catch (java.io.IOException e) {
                throw new CompletionException(e);
            }
        }, io).whenComplete((v, error) -> fx.execute(() -> {
            // A failure would complete a dependent stage on the I/O thread: both outcomes hop to the UI explicitly.
            if (error == null) {
                onUi.complete(file);
            } else {
                onUi.completeExceptionally(Failures.rootCause(error));
            }
        }));
        return onUi;
    }

    /** "0.1234 ± 0.0567"; without the spread for one image, whose standard deviation is undefined. */
    public static String meanText(Spread s) {
        return s.n() == 0 ? "–" : Double.isNaN(s.sd()) ? num(s.mean())
                : num(s.mean()) + " ± " + num(s.sd());
    }

    /** "0.1200 [0.0800, 0.1500]": the median and the interquartile range. */
    public static String medianText(Spread s) {
        return s.n() == 0 ? "–" : num(s.median()) + " [" + num(s.q1()) + ", " + num(s.q3()) + "]";
    }

    /** "0.0100 – 0.3000". */
    public static String rangeText(Spread s) {
        return s.n() == 0 ? "–" : num(s.min()) + " – " + num(s.max());
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String describe(int images, LoadedModel model, Set<Method> chosen, FaithfulnessSettings p) {
        boolean layered = chosen.stream().anyMatch(Method::needsLayer);
        return String.format(Locale.ROOT, "%d image%s, %s, each image's top class%s; %s", images,
                images == 1 ? "" : "s", model.manifest().name(),
                layered ? ", layer " + model.manifest().defaultLayer() + " (the model's default)" : "",
                MetricsViewModel.caption(p, model.manifest().input().width()));
    }

    /** The chosen methods (default: saliency and Grad-CAM); a change applies to the next evaluation. */
    public ObservableSet<Method> methods() {
        return methods;
    }

    public ObservableList<FaithfulnessSummary.Line> lines() {
        return lines;
    }

    public ObservableList<FaithfulnessSummary.Failure> failures() {
        return failures;
    }

    /** The aggregation behind the table (for tests and export). */
    public FaithfulnessSummary summary() {
        return summary;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    /** "k of n images" while running; the outcome after. */
    public StringProperty messageProperty() {
        return message;
    }

    /** What the numbers were measured with: images, model, class, layer, protocol. */
    public StringProperty captionProperty() {
        return caption;
    }
}
