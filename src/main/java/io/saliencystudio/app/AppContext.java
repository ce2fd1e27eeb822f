package io.saliencystudio.app;

import io.saliencystudio.app.dataset.DatasetViewModel;
import io.saliencystudio.app.dataset.SelectionEvaluationViewModel;
import io.saliencystudio.app.explain.DisplaySettings;
import io.saliencystudio.app.explain.ExplainViewModel;
import io.saliencystudio.app.explain.MetricsViewModel;
import io.saliencystudio.app.sanity.SanityViewModel;
import io.saliencystudio.app.explain.Viewport;
import io.saliencystudio.app.images.ClipboardImport;
import io.saliencystudio.app.images.ImageListViewModel;
import io.saliencystudio.app.model.ModelViewModel;
import io.saliencystudio.app.images.ModelSwitchPolicy;
import io.saliencystudio.app.prefs.AppPreferences;
import io.saliencystudio.app.prefs.PreferenceSync;
import io.saliencystudio.app.service.ExplanationBackend;
import io.saliencystudio.app.session.SessionKeeper;
import io.saliencystudio.app.session.SessionStore;
import io.saliencystudio.app.service.ImageStore;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.app.status.NotificationCenter;
import io.saliencystudio.app.status.StatusViewModel;
import io.saliencystudio.engine.audit.AuditCache;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The composition root: builds the services and view-models, by constructor injection, and wires them together.
 * What is kept between runs is {@link PreferenceSync}'s, what a model change does to the image list
 * {@link ModelSwitchPolicy}'s. Tests build one with a wrapped backend; the app builds one with the real engine. No
 * static state.
 */
public final class AppContext implements AutoCloseable {

    private final AppConfig config;
    private final AppPreferences prefs;
    private final ExecutorService io;
    private final NotificationCenter notices;
    private final InferenceService inference;
    private final ModelViewModel models;
    private final ImageListViewModel images;
    private final ExplainViewModel explain;
    private final DisplaySettings display = new DisplaySettings();
    private final Viewport viewport = new Viewport();
    private final StatusViewModel status;
    private final MetricsViewModel metrics;
    private final SanityViewModel sanity;
    private final ClipboardImport clipboard;
    private final SessionKeeper session;
    private final DatasetViewModel dataset;
    private final SelectionEvaluationViewModel selectionEvaluation;

    /** @param fx runs work on the UI thread ({@code Platform::runLater}) */
    public AppContext(AppConfig config, ExplanationBackend backend, AppPreferences prefs, Executor fx, Path logFile) {
        this.config = config;
        this.prefs = prefs;
        AtomicInteger n = new AtomicInteger();
        this.io = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "image-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.notices = new NotificationCenter(logFile);
        this.inference = new InferenceService(backend, new ImageStore(io, config.imageCacheBytes()), fx,
                config.resultCacheBytes());
        this.models = new ModelViewModel(inference, io, fx, notices, prefs);
        this.images = new ImageListViewModel(inference, io, fx, notices);
        this.explain = new ExplainViewModel(inference);
        this.status = new StatusViewModel(models, explain, inference.predictions());
        this.metrics = new MetricsViewModel(explain, inference, fx, prefs.faithfulnessProtocol());
        this.sanity = new SanityViewModel(explain, inference, fx);
        this.clipboard = new ClipboardImport(config.pasteDir(), io);
        this.dataset = new DatasetViewModel(inference, images, io, fx);
        dataset.useAuditCache(new AuditCache(config.auditsDir()));
        // The main window's protocol and method settings, read when an evaluation starts.
        this.selectionEvaluation = new SelectionEvaluationViewModel(dataset, inference, fx, metrics::protocol,
                explain::settings);
        PreferenceSync sync = new PreferenceSync(prefs);
        sync.methodPanels(explain);
        sync.display(display);
        sync.upsampling(explain);
        sync.faithfulnessProtocol(metrics);
        ModelSwitchPolicy modelSwitch = new ModelSwitchPolicy(config.samplesDir(), images, explain);
        models.loadedProperty().addListener((o, was, now) -> modelSwitch.modelChanged(now));
        // The panels explain the selected image, and nothing when nothing is selected: a list being replaced must
        // not leave its old selection behind to be explained with the next model.
        images.selectedProperty().addListener((o, was, now) -> {
            if (now != null) {
                explain.showImage(now.source(), now.truth());
            } else {
                explain.clearImage();
            }
        });
        // Last: its listeners must run after the ones above have switched image and model.
        this.session = new SessionKeeper(new SessionStore(config.sessionFile()), models, images, explain, notices);
    }

    /**
     * First start: list the models and ask for a GPU at the same time, then load the last used model (or the
     * default) and list its sample images; the first sample is explained as soon as it is selected.
     */
    public CompletableFuture<LoadedModel> start() {
        // The last session (if any) names the model to open and lists its images before the model loads.
        return session.restore(prefs).exceptionally(e -> null).thenCompose(v -> startModels());
    }

    private CompletableFuture<LoadedModel> startModels() {
        CompletableFuture<?> devices = models.detectDevices();
        return models.scan(config.modelFolders()).thenCombine(devices, (list, d) -> list)
                .thenCompose(list -> models.startupChoice())
                .thenCompose(choice -> {
                    models.restoreDevice();
                    if (choice.isEmpty()) {
                        notices.warning("No model found in " + config.modelsDir() + ". Use Open model… to pick a "
                                + "package folder or a TorchScript .pt file.");
                        return CompletableFuture.completedFuture(null);
                    }
                    return models.load(choice.get());
                });
    }

    public AppConfig config() {
        return config;
    }

    public AppPreferences prefs() {
        return prefs;
    }

    public Executor io() {
        return io;
    }

    public NotificationCenter notices() {
        return notices;
    }

    public InferenceService inference() {
        return inference;
    }

    public ModelViewModel models() {
        return models;
    }

    public ImageListViewModel images() {
        return images;
    }

    public ExplainViewModel explain() {
        return explain;
    }

    public DisplaySettings display() {
        return display;
    }

    public Viewport viewport() {
        return viewport;
    }

    /** Faithfulness metrics of the shown maps, on request. */
    public MetricsViewModel metrics() {
        return metrics;
    }

    /** The one-click sanity check. */
    public SanityViewModel sanity() {
        return sanity;
    }

    public StatusViewModel status() {
        return status;
    }

    /** The data set view's state (File > Open data set…). */
    public DatasetViewModel dataset() {
        return dataset;
    }

    /** "Evaluate selection" in the data set view. */
    public SelectionEvaluationViewModel selectionEvaluation() {
        return selectionEvaluation;
    }

    public ClipboardImport clipboard() {
        return clipboard;
    }

    public SessionKeeper session() {
        return session;
    }

    /**
     * Stops background work and frees the engine. Call on the UI thread (the window is gone by then). Order matters:
     * the session and preferences are saved first; the model is unloaded on the inference thread after the work
     * queued before it, and the running request is cancelled so multi-pass work stops at its next pass; queued
     * previews are dropped, but a figure export already writing may finish (its file appears whole, or, past
     * {@link #EXPORT_GRACE_SECONDS}, is abandoned and its temporary file removed: never a partial figure).
     */
    @Override
    public void close() {
        models.dispose();
        metrics.cancelAll();
        sanity.cancel();
        dataset.cancel();
        selectionEvaluation.cancel();
        inference.predictions().cancel();
        session.close();
        prefs.flush();
        LoadedModel model = models.loaded();
        if (model != null) {
            inference.unload(model);
        }
        inference.close();
        if (io instanceof ThreadPoolExecutor pool) {
            pool.getQueue().clear();
        }
        io.shutdown();
        try {
            if (!io.awaitTermination(EXPORT_GRACE_SECONDS, TimeUnit.SECONDS)) {
                io.shutdownNow(); // interrupts the write: SafeWrite deletes its temporary file
                io.awaitTermination(2, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            io.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** How long closing waits for a figure export that is already writing. */
    public static final long EXPORT_GRACE_SECONDS = 5;
}
