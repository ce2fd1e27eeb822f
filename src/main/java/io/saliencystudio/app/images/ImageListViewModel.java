package io.saliencystudio.app.images;

import io.saliencystudio.engine.Failures;
import io.saliencystudio.app.FxImages;
import io.saliencystudio.app.service.ImageSource;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.app.service.PredictionQueue;
import io.saliencystudio.app.status.NotificationCenter;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The image list: what was dropped, opened or pasted, with previews and the current model's prediction per image.
 * Previews and predictions are filled in the background; unreadable files stay listed with their error, and the
 * rest keep working. UI thread only.
 */
public final class ImageListViewModel {

    private final InferenceService inference;
    private final Executor io;
    private final Executor fx;
    private final NotificationCenter notices;
    private final ObservableList<ImageItem> items = FXCollections.observableArrayList();
    private final ObjectProperty<ImageItem> selected = new SimpleObjectProperty<>(this, "selected");
    private final Map<String, ImageItem> byId = new HashMap<>();
    private LoadedModel model;
    private long clears; // how many times the list was emptied: an add read before the latest clear is dropped

    public ImageListViewModel(InferenceService inference, Executor io, Executor fx, NotificationCenter notices) {
        this.inference = inference;
        this.io = io;
        this.fx = fx;
        this.notices = notices;
        inference.predictions().setListener(new PredictionQueue.Listener() {
            @Override
            public void predicted(ImageSource image, Prediction prediction) {
                ImageItem item = byId.get(image.id());
                if (item != null) {
                    item.predictionProperty().set(prediction);
                }
            }

            @Override
            public void failed(ImageSource image, Throwable error) {
                ImageItem item = byId.get(image.id());
                if (item != null && !item.failed()) {
                    item.errorProperty().set(message(error));
                }
            }
        });
    }

    /**
     * Adds files and folders (folders are searched for images). Files already listed are not added twice. Completes
     * on the UI thread with the items for {@code paths}, new or already listed; the first one is selected if nothing
     * was. If the list is {@link #clear() cleared} while the files are being read, nothing is added (completes with
     * no items): a model switch that replaced the samples must not get the previous model's samples back.
     */
    public CompletableFuture<List<ImageItem>> add(List<Path> paths) {
        long clearsAtStart = clears;
        return CompletableFuture.supplyAsync(() -> {
            List<Path> files = ImageFiles.expand(paths);
            return Map.entry(files, ImageFiles.groundTruth(files));
        }, io).thenApplyAsync(found -> {
            if (clears != clearsAtStart) {
                return List.<ImageItem>of();
            }
            List<ImageItem> result = new ArrayList<>();
            List<ImageItem> added = new ArrayList<>();
            for (Path f : found.getKey()) {
                ImageSource src = ImageSource.of(f);
                ImageItem item = byId.get(src.id());
                if (item == null) {
                    item = new ImageItem(src, found.getValue().get(f));
                    byId.put(src.id(), item);
                    added.add(item);
                }
                result.add(item);
            }
            if (found.getKey().isEmpty() && !paths.isEmpty()) {
                notices.warning("No images found in " + paths.get(0).getFileName()
                        + (paths.size() > 1 ? " and " + (paths.size() - 1) + " more" : "")
                        + ": the app reads " + ImageLoader.READABLE_FORMATS + " files.");
            }
            items.addAll(added);
            start(added);
            if (selected.get() == null && !result.isEmpty()) {
                selected.set(result.get(0));
            }
            return result;
        }, fx);
    }

    /**
     * {@link #add} for files the user opened (File > Open, a drop, a paste): the first of them is selected, and so
     * explained, even when other images were listed before.
     */
    public CompletableFuture<List<ImageItem>> open(List<Path> paths) {
        return add(paths).thenApplyAsync(result -> {
            if (!result.isEmpty()) {
                selected.set(result.get(0));
            }
            return result;
        }, fx);
    }

    /** Previews and predictions of all images are for {@code model} from now on. */
    public void setModel(LoadedModel model) {
        this.model = model;
        for (ImageItem item : items) {
            item.predictionProperty().set(null);
        }
        inference.predictions().cancel();
        start(items);
    }

    /** Predicts the whole list again (e.g. after cancelling). */
    public void predictAll() {
        if (model != null) {
            inference.predictions().submit(model, items.stream().filter(i -> !i.failed() && i.prediction() == null)
                    .map(ImageItem::source).toList());
        }
    }

    private void start(List<ImageItem> batch) {
        if (model == null || batch.isEmpty()) {
            return;
        }
        LoadedModel m = model;
        List<ImageItem> todo = List.copyOf(batch);
        FailureReport report = new FailureReport(todo);
        for (ImageItem item : todo) {
            if (item.thumbnailProperty().get() != null || item.failed()) {
                report.done(item, null);
                continue;
            }
            inference.images().prepare(item.source(), m.modelPackage()).whenCompleteAsync((prepared, error) -> {
                if (error != null) {
                    item.errorProperty().set(message(error));
                } else if (item.thumbnailProperty().get() == null) {
                    item.thumbnailProperty().set(FxImages.of(prepared.thumbnail()));
                }
                report.done(item, error);
            }, fx);
        }
        inference.predictions().submit(m, todo.stream().filter(i -> !i.failed()).map(ImageItem::source).toList());
    }

    /**
     * One notification per batch, however many files in it fail. Files decode concurrently and finish in any order;
     * the one named is the first failure in list order, so the same drop always reads the same.
     */
    private final class FailureReport {
        private final List<ImageItem> batch;
        private final Map<ImageItem, Throwable> failed = new HashMap<>();
        private int remaining;

        FailureReport(List<ImageItem> batch) {
            this.batch = batch;
            this.remaining = batch.size();
        }

        void done(ImageItem item, Throwable error) {
            if (error != null) {
                failed.put(item, error);
            }
            if (--remaining == 0 && !failed.isEmpty()) {
                ImageItem first = batch.stream().filter(failed::containsKey).findFirst().orElseThrow();
                String msg = failed.size() == 1 ? item(first)
                        : failed.size() + " files could not be read (first: " + item(first) + ")";
                notices.error(msg + ". The other images still work.", failed.get(first));
            }
        }

        private String item(ImageItem i) {
            return i.errorProperty().get();
        }
    }

    public void remove(List<ImageItem> gone) {
        for (ImageItem i : List.copyOf(gone)) {
            byId.remove(i.source().id());
            items.remove(i);
        }
        if (selected.get() != null && !items.contains(selected.get())) {
            selected.set(items.isEmpty() ? null : items.get(0));
        }
    }

    /** Empties the list, including files still being read by {@link #add}. */
    public void clear() {
        clears++;
        inference.predictions().cancel();
        byId.clear();
        items.clear();
        selected.set(null);
    }

    /** Moves the selection by {@code delta} rows, clamped. */
    public void step(int delta) {
        if (items.isEmpty()) {
            return;
        }
        int i = selected.get() == null ? -1 : items.indexOf(selected.get());
        selected.set(items.get(Math.max(0, Math.min(items.size() - 1, i + delta))));
    }

    static String message(Throwable error) {
        return Failures.message(error);
    }

    public ObservableList<ImageItem> items() {
        return items;
    }

    public ObjectProperty<ImageItem> selectedProperty() {
        return selected;
    }

    public ImageItem selected() {
        return selected.get();
    }
}
