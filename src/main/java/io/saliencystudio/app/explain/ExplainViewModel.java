package io.saliencystudio.app.explain;

import io.saliencystudio.app.images.GroundTruth;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.service.ExplainQuery;
import io.saliencystudio.app.service.ImageSource;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.app.service.MethodProgress;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.ObservableMap;
import javafx.collections.ObservableSet;

/**
 * What is being explained (image, model, class, layer) and what is on screen. Every command updates the state and
 * asks the {@link InferenceService} once; the service drops superseded results, so what is shown is always the
 * answer to the latest state. UI thread only.
 */
public final class ExplainViewModel {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExplainViewModel.class);

    public static final int TOP_K = 5;

    private final InferenceService inference;
    private final ReadOnlyObjectWrapper<ImageSource> image = new ReadOnlyObjectWrapper<>(this, "image");
    private final ReadOnlyObjectWrapper<LoadedModel> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyObjectWrapper<GroundTruth> truth = new ReadOnlyObjectWrapper<>(this, "truth");
    /** The shown image's truth from its labels.csv, whatever the model; {@link #truth} is it where it applies. */
    private GroundTruth imageTruth;
    private final ReadOnlyObjectWrapper<Integer> requestedClass = new ReadOnlyObjectWrapper<>(this, "requestedClass");
    private final ReadOnlyObjectWrapper<LayerTap> layer = new ReadOnlyObjectWrapper<>(this, "layer");
    private final ObservableList<LayerTap> layers = FXCollections.observableArrayList();
    private final ObservableList<ClassScore> topClasses = FXCollections.observableArrayList();
    private final ObservableList<ClassScore> allClasses = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ExplainOutcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private final ReadOnlyDoubleWrapper engineMillis = new ReadOnlyDoubleWrapper(this, "engineMillis", Double.NaN);
    private final ReadOnlyDoubleWrapper screenMillis = new ReadOnlyDoubleWrapper(this, "screenMillis", Double.NaN);
    private final ObservableList<Method> methods = FXCollections.observableArrayList(Method.SALIENCY, Method.GRADCAM);
    private final ReadOnlyObjectWrapper<MethodSettings> settings =
            new ReadOnlyObjectWrapper<>(this, "settings", MethodSettings.DEFAULTS);
    private final ObservableSet<Method> computing = FXCollections.observableSet(EnumSet.noneOf(Method.class));
    private final ObservableMap<Method, MethodProgress> progress = FXCollections.observableHashMap();
    // Read-only views made once: a fresh wrapper per call would hold its listeners only weakly and lose them.
    private final ObservableList<Method> methodsView = FXCollections.unmodifiableObservableList(methods);
    private final ObservableSet<Method> computingView = FXCollections.unmodifiableObservableSet(computing);
    private final ObservableMap<Method, MethodProgress> progressView =
            FXCollections.unmodifiableObservableMap(progress);
    private long requestedAt;
    private Prediction shownPrediction;

    public ExplainViewModel(InferenceService inference) {
        this.inference = inference;
    }

    /** Shows another image, explaining its top class at the current layer. */
    public void showImage(ImageSource source) {
        showImage(source, null);
    }

    /** Same, with the image's ground truth (label and box) when known. */
    public void showImage(ImageSource source, GroundTruth groundTruth) {
        imageTruth = groundTruth;
        truth.set(truthForModel());
        image.set(source);
        requestedClass.set(null);
        refresh();
    }

    /**
     * Nothing is selected any more (the list was emptied or is being replaced): nothing is explained, the request in
     * flight is dropped and the panels go back to their placeholder. Without this the last image stayed the one to
     * explain, and the next {@link #setModel} asked for it with a model it does not belong to.
     */
    public void clearImage() {
        imageTruth = null;
        truth.set(null);
        image.set(null);
        requestedClass.set(null);
        problem.set(null);
        forgetOutcome();
        refresh();
    }

    /** Switches model: layer list and class list follow it; the default layer is preselected. */
    public void setModel(LoadedModel m) {
        model.set(m);
        truth.set(truthForModel());
        requestedClass.set(null);
        forgetOutcome();
        layers.setAll(m == null || !m.hasTaps() ? List.of() : m.manifest().taps());
        layer.set(m == null || !m.hasTaps() ? null : m.manifest().tap(m.manifest().defaultLayer())
                .orElse(layers.stream().filter(LayerTap::spatial).reduce((a, b) -> b).orElse(null)));
        refresh();
    }

    /** The shown image's truth when the model has its label among its classes, else null (see GroundTruth). */
    private GroundTruth truthForModel() {
        LoadedModel m = model.get();
        return imageTruth != null && m != null && imageTruth.appliesTo(m.modelPackage().labels()) ? imageTruth : null;
    }

    private void forgetOutcome() {
        outcome.set(null);
        shownPrediction = null;
        topClasses.clear();
        allClasses.clear();
    }

    /** Explains {@code classIndex} ({@code null}: the top prediction). */
    public void selectClass(Integer classIndex) {
        if (java.util.Objects.equals(classIndex, requestedClass.get()) && outcome.get() != null
                && classIndex != null && outcome.get().target().index() == classIndex) {
            return;
        }
        requestedClass.set(classIndex);
        refresh();
    }

    public void selectLayer(LayerTap tap) {
        // A tap without a spatial grid (a class token, a pooled output) is listed, with its reason, but no layer
        // method can read it.
        if (tap == null || tap.equals(layer.get()) || !tap.spatial()) {
            return;
        }
        layer.set(tap);
        refresh();
    }

    /** Moves to the previous ({@code -1}) or next ({@code +1}) layer in graph order; stops at the ends. */
    public void scrubLayer(int delta) {
        if (layers.isEmpty()) {
            return;
        }
        int i = layer.get() == null ? layers.size() - 1 : layers.indexOf(layer.get());
        // Skip taps without a grid; stay put when there is no spatial tap further that way.
        for (int j = i + delta; j >= 0 && j < layers.size(); j += delta) {
            if (layers.get(j).spatial()) {
                selectLayer(layers.get(j));
                return;
            }
        }
    }

    /** Stops the running explanation; what is on screen stays. */
    public void cancel() {
        inference.cancel();
        busy.set(false);
        computing.clear();
        progress.clear();
    }

    /** Adds a panel for {@code method} (at the end) and explains it; nothing if it is already shown. */
    public void addMethod(Method method) {
        if (!methods.contains(method)) {
            methods.add(method);
            refresh();
        }
    }

    /** Removes a method's panel; nothing is recomputed (the other maps are cached). */
    public void removeMethod(Method method) {
        if (methods.remove(method)) {
            inference.cancelMethod(method); // a multi-pass method nobody will see stops within one pass
            computing.remove(method);
            progress.remove(method);
        }
    }

    /** Whether the loaded model can run {@code method} (layer methods need taps, attention methods attention maps). */
    public boolean available(Method method) {
        LoadedModel m = model.get();
        return m == null || method.availableOn(m.hasTaps(), m.hasAttention());
    }

    /**
     * New method knobs. Maps are cached per method settings, so only the methods whose knobs changed are
     * recomputed (changing the batch size recomputes nothing: it changes speed, not maps).
     */
    public void setSettings(MethodSettings s) {
        if (s == null || s.equals(settings.get())) {
            return;
        }
        settings.set(s);
        refresh();
    }

    /** Stops one multi-pass method; the other panels carry on. */
    public void cancelMethod(Method method) {
        inference.cancelMethod(method);
    }

    /** Asks for the current state again (after a failure, say). */
    public void refresh() {
        ImageSource src = image.get();
        LoadedModel m = model.get();
        if (src == null || m == null) {
            inference.cancel();
            busy.set(false);
            return;
        }
        Set<Method> asked = EnumSet.noneOf(Method.class);
        methods.stream().filter(this::available).forEach(asked::add);
        if (asked.isEmpty()) {
            asked.add(Method.SALIENCY); // the cheapest map: the prediction and the headline still need a pass
        }
        String layerName = layer.get() == null ? null : layer.get().displayName();
        ExplainQuery query = new ExplainQuery(src, m, requestedClass.get(), layerName, asked, settings.get());
        busy.set(true);
        computing.clear();
        computing.addAll(asked);
        progress.clear();
        requestedAt = System.nanoTime();
        inference.explain(query, this::accept, this::fail, this::progressed);
    }

    private void progressed(MethodProgress p) {
        for (Method m : p.methods()) {
            if (computing.contains(m)) {
                progress.put(m, p);
            }
        }
    }

    private void accept(ExplainOutcome result) {
        busy.set(!result.complete());
        computing.retainAll(result.pending());
        progress.keySet().retainAll(result.pending());
        problem.set(null);
        if (result.prediction() != shownPrediction) {
            shownPrediction = result.prediction();
            topClasses.setAll(result.prediction().top(TOP_K));
            List<ClassScore> all = new ArrayList<>();
            for (int i = 0; i < result.prediction().numClasses(); i++) {
                all.add(result.prediction().score(i));
            }
            allClasses.setAll(all);
        }
        engineMillis.set(result.fromCache() ? 0 : result.computeMillis());
        outcome.set(result);
        screenMillis.set((System.nanoTime() - requestedAt) / 1e6);
        var cam = result.result(io.saliencystudio.engine.explain.Method.GRADCAM);
        LOG.info("explained {} as '{}' at {}: engine {}, request to screen {} ms", result.query().image().name(),
                result.target().label(), cam == null ? "-" : cam.layer(),
                result.fromCache() ? "cached" : String.format(java.util.Locale.ROOT, "%.1f ms", result.computeMillis()),
                String.format(java.util.Locale.ROOT, "%.1f", screenMillis.get()));
    }

    private void fail(Throwable error) {
        busy.set(false);
        computing.clear();
        progress.clear();
        String msg = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        problem.set(msg);
        // Nothing about this image is known: no stale classes from the previous one.
        shownPrediction = null;
        topClasses.clear();
        allClasses.clear();
        outcome.set(null);
    }

    /** The methods with a panel, in panel order. */
    public ObservableList<Method> methods() {
        return methodsView;
    }

    public ReadOnlyObjectProperty<MethodSettings> settingsProperty() {
        return settings.getReadOnlyProperty();
    }

    public MethodSettings settings() {
        return settings.get();
    }

    /** The methods of the current request not yet on screen. */
    public ObservableSet<Method> computing() {
        return computingView;
    }

    /** How far each multi-pass method being computed is. */
    public ObservableMap<Method, MethodProgress> progress() {
        return progressView;
    }

    public ReadOnlyObjectProperty<ImageSource> imageProperty() {
        return image.getReadOnlyProperty();
    }

    /** Ground truth of the shown image, or {@code null}. */
    public ReadOnlyObjectProperty<GroundTruth> truthProperty() {
        return truth.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<LoadedModel> modelProperty() {
        return model.getReadOnlyProperty();
    }

    /** The class asked for; {@code null} means "the top prediction". */
    public ReadOnlyObjectProperty<Integer> requestedClassProperty() {
        return requestedClass.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<LayerTap> layerProperty() {
        return layer.getReadOnlyProperty();
    }

    public LayerTap layer() {
        return layer.get();
    }

    public ObservableList<LayerTap> layers() {
        return FXCollections.unmodifiableObservableList(layers);
    }

    public ObservableList<ClassScore> topClasses() {
        return FXCollections.unmodifiableObservableList(topClasses);
    }

    public ObservableList<ClassScore> allClasses() {
        return FXCollections.unmodifiableObservableList(allClasses);
    }

    /** What the panels show; {@code null} before the first result or after a failure. */
    public ReadOnlyObjectProperty<ExplainOutcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    public ExplainOutcome outcome() {
        return outcome.get();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Why the last request failed (readable), or {@code null}. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** Engine time of the last explanation in ms; 0 when it came from the cache. */
    public ReadOnlyDoubleProperty engineMillisProperty() {
        return engineMillis.getReadOnlyProperty();
    }

    /** From request to result on the UI thread, in ms (what the user waited). */
    public ReadOnlyDoubleProperty screenMillisProperty() {
        return screenMillis.getReadOnlyProperty();
    }
}
