package io.saliencystudio.app.model;

import io.saliencystudio.engine.Failures;
import io.saliencystudio.app.prefs.AppPreferences;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.app.status.NotificationCenter;
import io.saliencystudio.engine.model.ModelCatalog;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.ModelPackageException;
import io.saliencystudio.engine.model.UserModels;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The model picker's state: the packages found under {@code models/} (plus any opened by hand), the loaded model,
 * and the device. Loading runs on the inference thread; a newer load supersedes an older one (the older model is
 * unloaded when it arrives). UI thread only.
 */
public final class ModelViewModel {

    /** The model the app opens on a first run. */
    public static final String DEFAULT_MODEL_ID = "shapes";

    private final InferenceService inference;
    private final Executor io;
    private final Executor fx;
    private final NotificationCenter notices;
    private final AppPreferences prefs;
    private final ObservableList<ModelPackage> catalog = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<LoadedModel> loaded = new ReadOnlyObjectWrapper<>(this, "loaded");
    private final ReadOnlyObjectWrapper<ModelPackage> current = new ReadOnlyObjectWrapper<>(this, "current");
    private final ReadOnlyBooleanWrapper loading = new ReadOnlyBooleanWrapper(this, "loading");
    private final ReadOnlyStringWrapper loadingText = new ReadOnlyStringWrapper(this, "loadingText", "");
    private final ObservableList<ComputeDevice> devices = FXCollections.observableArrayList(ComputeDevice.CPU);
    private final ObjectProperty<ComputeDevice> device = new SimpleObjectProperty<>(this, "device", ComputeDevice.CPU);
    private long loadGeneration;

    public ModelViewModel(InferenceService inference, Executor io, Executor fx, NotificationCenter notices,
            AppPreferences prefs) {
        this.inference = inference;
        this.io = io;
        this.fx = fx;
        this.notices = notices;
        this.prefs = prefs;
        device.addListener((o, was, now) -> {
            if (now != null && was != now && current.get() != null) {
                prefs.setDevice(now.name());
                load(current.get());
            }
        });
    }

    /** Lists the packages in {@code dir} (off the UI thread); broken packages become one warning each. */
    public CompletableFuture<List<ModelPackage>> scan(Path dir) {
        return scan(List.of(dir));
    }

    /**
     * Lists the packages in each folder, in order (off the UI thread); missing folders are skipped, broken packages
     * become one warning each.
     */
    public CompletableFuture<List<ModelPackage>> scan(List<Path> dirs) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ModelCatalog.scan(dirs);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, io).handleAsync((cat, error) -> {
            if (error != null) {
                notices.error("No model packages found: " + rootMessage(error), error);
                return List.<ModelPackage>of();
            }
            for (ModelCatalog.Problem p : cat.problems()) {
                notices.warning("Model package " + p.folder().getFileName() + " skipped: " + p.message());
            }
            for (ModelPackage pkg : cat.packages()) {
                addToCatalog(pkg);
            }
            return cat.packages();
        }, fxExecutor());
    }

    /** Asks the engine whether a GPU can be offered; adds it to {@link #devices()} if so. Completes on the UI thread.
     */
    public CompletableFuture<Void> detectDevices() {
        return inference.gpuAvailable().handleAsync((gpu, error) -> {
            if (Boolean.TRUE.equals(gpu) && !devices.contains(ComputeDevice.GPU)) {
                devices.add(ComputeDevice.GPU);
            }
            return null;
        }, fxExecutor());
    }

    /**
     * The package to open at start: the last one used if still there, else {@value #DEFAULT_MODEL_ID}, else the first
     * listed. A last model outside the catalog is opened (hashed) off the UI thread. Completes on the UI thread.
     */
    public CompletableFuture<Optional<ModelPackage>> startupChoice() {
        Optional<ModelPackage> fallback = catalog.stream().filter(p -> DEFAULT_MODEL_ID.equals(p.id())).findFirst()
                .or(() -> catalog.stream().findFirst());
        Optional<String> last = prefs.lastModel();
        if (last.isEmpty()) {
            return CompletableFuture.completedFuture(fallback);
        }
        Optional<ModelPackage> listed = catalog.stream()
                .filter(p -> p.location().toString().equals(last.get())).findFirst();
        if (listed.isPresent()) {
            return CompletableFuture.completedFuture(listed);
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ModelPackage.open(Path.of(last.get()));
            } catch (ModelPackageException | RuntimeException e) {
                // The last model moved or broke since: fall back quietly to the bundled default.
                return null;
            }
        }, io).thenApplyAsync(pkg -> pkg == null ? fallback : Optional.of(addToCatalog(pkg)), fx);
    }

    /** Opens a package folder or a bare {@code .pt} chosen by the user, then loads it. */
    public CompletableFuture<ModelPackage> open(Path path) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ModelPackage.open(path);
            } catch (ModelPackageException e) {
                throw new CompletionException(e);
            }
        }, io).handleAsync((pkg, error) -> {
            if (error != null) {
                notices.error("Could not open the model " + path.getFileName() + ": " + rootMessage(error), error);
                return null;
            }
            ModelPackage listed = addToCatalog(pkg);
            load(listed);
            return listed;
        }, fxExecutor());
    }

    /**
     * Copies a package folder or bare {@code .pt} into the per-user models folder (never replacing anything), then
     * lists and loads the copy. If the copy fails, says why and opens the model from where it is instead.
     */
    public CompletableFuture<ModelPackage> addToUserModels(Path path, Path userDir) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                ModelPackage.open(path); // refuse what is not a model before copying anything
                return UserModels.add(path, userDir);
            } catch (ModelPackageException | IOException e) {
                throw new CompletionException(e);
            }
        }, io).handleAsync((copied, error) -> {
            if (error != null) {
                Throwable cause = Failures.rootCause(error);
                if (cause instanceof ModelPackageException) {
                    notices.error("Could not open the model " + path.getFileName() + ": " + cause.getMessage(), cause);
                    return CompletableFuture.<ModelPackage>completedFuture(null);
                }
                notices.error(cause.getMessage() + ". The model is opened from " + path + " for now.", cause);
                return open(path);
            }
            notices.info("Added " + path.getFileName() + " to your models (" + copied + ").");
            return open(copied);
        }, fxExecutor()).thenCompose(f -> f);
    }

    /** Loads {@code pkg} on the chosen device; the previous model stays usable until the new one is ready. */
    public CompletableFuture<LoadedModel> load(ModelPackage pkg) {
        long gen = ++loadGeneration;
        current.set(pkg);
        loading.set(true);
        loadingText.set("Loading model " + pkg.manifest().name() + " on " + device.get().label() + "…");
        ComputeDevice dev = device.get();
        return inference.load(pkg, dev).handleAsync((model, error) -> {
            if (gen != loadGeneration) {
                if (model != null) {
                    inference.unload(model);
                }
                return null;
            }
            loading.set(false);
            loadingText.set("");
            if (error != null) {
                notices.error("Could not load the model " + pkg.manifest().name() + ": " + rootMessage(error), error);
                LoadedModel still = loaded.get();
                current.set(still == null ? null : still.modelPackage());
                return null;
            }
            LoadedModel old = loaded.get();
            loaded.set(model);
            if (old != null) {
                inference.unload(old);
            }
            prefs.setLastModel(pkg.location().toString());
            if (!model.hasTaps()) {
                notices.warning("The model " + pkg.manifest().name() + " has no layer taps, so Grad-CAM is not "
                        + "available (saliency works). Re-export it with models/tools/export.py to add them.");
            }
            return model;
        }, fxExecutor());
    }

    private ModelPackage addToCatalog(ModelPackage pkg) {
        for (ModelPackage p : catalog) {
            if (p.location().equals(pkg.location())) {
                return p;
            }
        }
        catalog.add(pkg);
        return pkg;
    }

    /** Drops loads still in progress (their models are unloaded when they arrive); for shutdown. */
    public void dispose() {
        loadGeneration++;
        loading.set(false);
    }

    /** Chooses the saved device if this machine offers it. */
    public void restoreDevice() {
        prefs.device().flatMap(d -> devices.stream().filter(x -> x.name().equals(d)).findFirst())
                .ifPresent(d -> {
                    if (current.get() == null) {
                        device.set(d);
                    }
                });
    }

    static String rootMessage(Throwable t) {
        return Failures.message(t);
    }

    private Executor fxExecutor() {
        return fx;
    }

    public ObservableList<ModelPackage> catalog() {
        return catalog;
    }

    public ReadOnlyObjectProperty<LoadedModel> loadedProperty() {
        return loaded.getReadOnlyProperty();
    }

    public LoadedModel loaded() {
        return loaded.get();
    }

    /** The package shown in the picker: the one loading, or the one loaded. */
    public ReadOnlyObjectProperty<ModelPackage> currentProperty() {
        return current.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty loadingTextProperty() {
        return loadingText.getReadOnlyProperty();
    }

    public ObservableList<ComputeDevice> devices() {
        return devices;
    }

    public ObjectProperty<ComputeDevice> deviceProperty() {
        return device;
    }
}
