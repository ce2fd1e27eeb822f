package io.saliencystudio.app.dataset;

import io.saliencystudio.app.images.ImageItem;
import io.saliencystudio.app.images.ImageListViewModel;
import io.saliencystudio.app.service.ImageStore;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.app.service.LruCache;
import io.saliencystudio.app.service.Thumbnail;
import io.saliencystudio.engine.Failures;
import io.saliencystudio.engine.audit.AuditCache;
import io.saliencystudio.engine.audit.AuditDataset;
import io.saliencystudio.engine.audit.AuditItem;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.audit.AuditTally;
import io.saliencystudio.engine.audit.Auditor;
import io.saliencystudio.engine.audit.Skipped;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.collections.transformation.SortedList;

/**
 * The data set view's state, testable without a window: the audited rows as they arrive, the table's filters (a
 * confusion cell, only mistakes, text in the file name) and order (mistakes first, then the table's sort), the
 * confusion counts and per-class figures ({@link AuditTally}, the CLI's), lazily decoded thumbnails in a bounded
 * cache, and opening a row in the main window's image list. All methods on the UI thread.
 */
public final class DatasetViewModel {

    /** A confusion-matrix cell: images of class {@code trueIndex} predicted as {@code predicted}. */
    public record Cell(int trueIndex, int predicted) {}

    /** One line of the per-class table; precision/recall/f1 are {@code null} where undefined. */
    public record ClassRow(int index, String label, long support, long predicted, Double precision, Double recall,
            Double f1) {}

    /** Thumbnails kept (packed ARGB): a few thousand small previews, never the full images. */
    static final long THUMBNAIL_CACHE_BYTES = 16L << 20;

    private final InferenceService inference;
    private final ImageListViewModel images;
    private final Executor io;
    private final Executor fx;
    private final ObservableList<AuditRow> rows = FXCollections.observableArrayList();
    private final FilteredList<AuditRow> filtered = new FilteredList<>(rows);
    private final SortedList<AuditRow> shown = new SortedList<>(filtered);
    private final ObjectProperty<Cell> cell = new SimpleObjectProperty<>();
    private final BooleanProperty onlyMistakes = new SimpleBooleanProperty();
    private final BooleanProperty mistakesFirst = new SimpleBooleanProperty();
    private final StringProperty text = new SimpleStringProperty("");
    private final ObjectProperty<Comparator<AuditRow>> tableOrder = new SimpleObjectProperty<>();
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final StringProperty message = new SimpleStringProperty("");
    /** Bumped whenever the counts change: the view redraws the matrix and the per-class table. */
    private final IntegerProperty revision = new SimpleIntegerProperty();
    private final ObservableList<Skipped> skipped = FXCollections.observableArrayList();
    private final LruCache<String, Thumbnail> thumbnails =
            new LruCache<>(THUMBNAIL_CACHE_BYTES, t -> 64L + 4L * t.argb().length);
    private final Map<String, CompletableFuture<Thumbnail>> decoding = new ConcurrentHashMap<>();
    private final ImageLoader loader = new ImageLoader();
    private Map<String, Path> files = Map.of();
    private List<String> labels = List.of();
    private AuditTally tally = new AuditTally(0);
    private AuditDataset dataset;
    private DatasetAuditJob job;
    private Auditor.Result lastResult;
    /** The model the open data set is audited with (its selection is evaluated with it too). */
    private LoadedModel model;
    /** Where audits are remembered between openings; null: every opening audits afresh. */
    private AuditCache auditCache;
    /** Rows of the current audit that came from the cache. */
    private int resumedRows;

    public DatasetViewModel(InferenceService inference, ImageListViewModel images, Executor io, Executor fx) {
        this.inference = inference;
        this.images = images;
        this.io = io;
        this.fx = fx;
        cell.addListener((o, a, b) -> refilter());
        onlyMistakes.addListener((o, a, b) -> refilter());
        text.addListener((o, a, b) -> refilter());
        mistakesFirst.addListener((o, a, b) -> reorder());
        tableOrder.addListener((o, a, b) -> reorder());
    }

    /** Remember audits in {@code cache}: reopening a data set shows them at once and continues an unfinished one. */
    public void useAuditCache(AuditCache cache) {
        this.auditCache = cache;
    }

    /**
     * Forgets this model's remembered audit of the open data set and audits it again from the first image (for
     * images edited in place, which the cache cannot notice). Does nothing while no data set is open.
     */
    public void auditAgain() {
        if (dataset == null || model == null) {
            return;
        }
        cancel();
        AuditDataset data = dataset;
        LoadedModel m = model;
        AuditCache cache = auditCache;
        CompletableFuture.runAsync(() -> {
            try {
                if (cache != null) {
                    cache.discard(cache.file(m.manifest(), data));
                }
            } catch (java.io.IOException e) {
                throw new CompletionException(e);
            }
        }, io).whenCompleteAsync((ok, error) -> {
            show(data, labels);
            if (error != null) {
                message.set("Could not forget the earlier audit: " + Failures.rootCause(error).getMessage());
                return;
            }
            start(data, m);
        }, fx);
    }

    /**
     * Lists {@code root} against the model's labels (on the I/O executor), shows it and audits it in the background.
     * A running audit is cancelled first. Completes on the UI thread with the listed data set; fails when the
     * folder has neither a labels.csv nor class subfolders.
     */
    public CompletableFuture<AuditDataset> open(Path root, LoadedModel model) {
        cancel();
        this.model = model;
        List<String> modelLabels = model.modelPackage().labels();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return AuditDataset.open(root, modelLabels);
            } catch (java.io.IOException e) {
                throw new CompletionException(e);
            }
        }, io).thenApplyAsync(data -> {
            show(data, modelLabels);
            start(data, model);
            return data;
        }, fx);
    }

    /** Shows a listed data set with no rows yet (what {@link #open} does before auditing; tests add rows). */
    public void show(AuditDataset data, List<String> modelLabels) {
        cancel();
        dataset = data;
        labels = List.copyOf(modelLabels);
        Map<String, Path> byImage = new HashMap<>();
        for (AuditItem i : data.items()) {
            byImage.put(i.image(), i.file());
        }
        files = byImage;
        tally = new AuditTally(labels.size());
        rows.clear();
        skipped.setAll(data.skipped());
        cell.set(null);
        progress.set(0);
        lastResult = null;
        message.set(data.items().size() + " images listed (" + data.layout() + ")");
        revision.set(revision.get() + 1);
    }

    private void start(AuditDataset data, LoadedModel model) {
        DatasetAuditJob j = new DatasetAuditJob();
        job = j;
        running.set(true);
        resumedRows = 0;
        long startNanos = System.nanoTime();
        j.start(data, model, inference, fx, new DatasetAuditJob.Listener() {
            @Override
            public void rows(List<AuditRow> batch, long done, long total) {
                if (job == j) {
                    addRows(batch);
                    progress.set(total == 0 ? 1 : (double) done / total);
                    message.set(String.format(Locale.ROOT, "%d / %d images audited, accuracy %.1f%%", rows.size(),
                            total, 100 * tally.accuracy()));
                }
            }

            @Override
            public void skipped(Skipped s) {
                if (job == j) {
                    skipped.add(s);
                }
            }

            @Override
            public void resumed(int count) {
                if (job == j) {
                    resumedRows = count;
                }
            }

            @Override
            public void finished(Auditor.Result result, Throwable error) {
                if (job != j) {
                    return;
                }
                running.set(false);
                lastResult = result;
                double seconds = (System.nanoTime() - startNanos) / 1e9;
                if (error instanceof java.util.concurrent.CancellationException || j.isCancelled()) {
                    message.set("Cancelled after " + rows.size() + " of " + data.items().size() + " images");
                } else if (error != null) {
                    message.set("Audit failed: " + Failures.rootCause(error).getMessage());
                } else {
                    progress.set(1);
                    int audited = rows.size() - resumedRows;
                    String earlier = resumedRows == 0 ? "" : String.format(Locale.ROOT, " (%d from an earlier audit, "
                            + "%d audited now)", resumedRows, audited);
                    message.set(String.format(Locale.ROOT, "%d images in %.1f s%s, accuracy %.2f%%, %d mistakes, "
                            + "%d skipped", rows.size(), seconds, earlier.isEmpty()
                            ? String.format(Locale.ROOT, " (%.0f images/s)", audited / seconds) : earlier,
                            100 * tally.accuracy(), tally.images() - tally.correct(), skipped.size()));
                }
            }
        }, auditCache);
    }

    /** Stops the running audit after its current batch; the rows so far stay. */
    public void cancel() {
        if (job != null && running.get()) {
            job.cancel();
            running.set(false);
            message.set("Cancelled after " + rows.size() + " images");
        }
    }

    /** Adds audited rows: to the table (through the filters) and to the counts. */
    public void addRows(List<AuditRow> batch) {
        for (AuditRow r : batch) {
            tally.add(r);
        }
        rows.addAll(batch);
        revision.set(revision.get() + 1);
    }

    /** Clicking a confusion cell filters the table to it; clicking the filtering cell again clears the filter. */
    public void clickCell(int trueIndex, int predicted) {
        Cell c = new Cell(trueIndex, predicted);
        cell.set(c.equals(cell.get()) ? null : c);
    }

    private void refilter() {
        Cell c = cell.get();
        boolean mistakes = onlyMistakes.get();
        String t = text.get() == null ? "" : text.get().trim().toLowerCase(Locale.ROOT);
        Predicate<AuditRow> p = r -> (c == null || r.trueIndex() == c.trueIndex() && r.predicted() == c.predicted())
                && (!mistakes || !r.correct())
                && (t.isEmpty() || r.image().toLowerCase(Locale.ROOT).contains(t)
                        || label(r.trueIndex()).toLowerCase(Locale.ROOT).contains(t)
                        || label(r.predicted()).toLowerCase(Locale.ROOT).contains(t));
        filtered.setPredicate(c == null && !mistakes && t.isEmpty() ? null : p);
    }

    /** Mistakes before correct rows, the most confident mistakes first; no boxing (10,000 rows sort in a few ms). */
    static final Comparator<AuditRow> MISTAKES_FIRST = (a, b) -> {
        boolean ca = a.correct();
        if (ca != b.correct()) {
            return ca ? 1 : -1;
        }
        return ca ? 0 : Double.compare(b.confidence(), a.confidence());
    };

    private void reorder() {
        Comparator<AuditRow> table = tableOrder.get();
        Comparator<AuditRow> order = null;
        if (mistakesFirst.get()) {
            // Mistakes first, the most confident mistakes at the top; then the table's order, if any.
            Comparator<AuditRow> m = MISTAKES_FIRST;
            order = table == null ? m : m.thenComparing(table);
        } else {
            order = table;
        }
        shown.setComparator(order);
    }

    /** The class's label, or its index when the model has none. */
    public String label(int index) {
        return index >= 0 && index < labels.size() ? labels.get(index) : String.valueOf(index);
    }

    public long count(int trueIndex, int predicted) {
        return tally.count(trueIndex, predicted);
    }

    /** The largest off-diagonal count (colours the matrix's mistakes on their own scale). */
    public long maxMistakeCount() {
        long max = 0;
        for (int t = 0; t < tally.classes(); t++) {
            for (int p = 0; p < tally.classes(); p++) {
                if (t != p) {
                    max = Math.max(max, tally.count(t, p));
                }
            }
        }
        return max;
    }

    public List<ClassRow> classRows() {
        List<ClassRow> out = new ArrayList<>();
        for (int k = 0; k < tally.classes(); k++) {
            AuditTally.ClassStats s = tally.classStats(k);
            out.add(new ClassRow(k, label(k), s.support(), s.predicted(), s.precision(), s.recall(), s.f1()));
        }
        return out;
    }

    public double accuracy() {
        return tally.accuracy();
    }

    public long audited() {
        return tally.images();
    }

    /** The file a row was read from. */
    public Path file(AuditRow row) {
        return files.get(row.image());
    }

    /**
     * The row's image in the main window: added to the image list, selected and so explained there. Completes on
     * the UI thread with the list's item.
     */
    public CompletableFuture<Optional<ImageItem>> explain(AuditRow row) {
        Path f = file(row);
        if (f == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return images.open(List.of(f)).thenApply(items -> items.stream().findFirst());
    }

    /**
     * Adds the rows' images to the main window's image list without changing its selection (for a figure grid of a
     * selection); completes on the UI thread with their items, in the rows' order.
     */
    public CompletableFuture<List<ImageItem>> addToList(List<AuditRow> chosen) {
        List<Path> paths = chosen.stream().map(this::file).filter(java.util.Objects::nonNull).toList();
        if (paths.isEmpty()) {
            return CompletableFuture.completedFuture(List.of());
        }
        return images.add(paths);
    }

    /**
     * A small preview of the row's image, decoded on the I/O executor at most once at a time per image and kept in
     * a bounded cache; completes on the UI thread.
     */
    public CompletableFuture<Thumbnail> thumbnail(AuditRow row) {
        Optional<Thumbnail> hit = thumbnails.get(row.image());
        if (hit.isPresent()) {
            return CompletableFuture.completedFuture(hit.get());
        }
        Path f = file(row);
        if (f == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not in the data set: " + row.image()));
        }
        String key = row.image();
        CompletableFuture<Thumbnail> mine = new CompletableFuture<>();
        CompletableFuture<Thumbnail> inFlight = decoding.putIfAbsent(key, mine);
        if (inFlight == null) {
            inFlight = mine;
            io.execute(() -> {
                try {
                    Thumbnail t = ImageStore.thumbnail(loader.load(f));
                    thumbnails.put(key, t);
                    mine.complete(t);
                } catch (Exception | OutOfMemoryError e) {
                    mine.completeExceptionally(e);
                } finally {
                    decoding.remove(key, mine);
                }
            });
        }
        return inFlight.thenApplyAsync(t -> t, fx);
    }

    /** Thumbnails held now (for tests: bounded). */
    public int cachedThumbnails() {
        return thumbnails.size();
    }

    /** The rows as the table shows them: filtered and ordered. */
    public ObservableList<AuditRow> shown() {
        return shown;
    }

    public ObservableList<AuditRow> rows() {
        return rows;
    }

    public ObservableList<Skipped> skipped() {
        return skipped;
    }

    public List<String> labels() {
        return labels;
    }

    public AuditDataset dataset() {
        return dataset;
    }

    /** The model of the last {@link #open}, or {@code null}. */
    public LoadedModel model() {
        return model;
    }

    public Auditor.Result lastResult() {
        return lastResult;
    }

    public ObjectProperty<Cell> cellProperty() {
        return cell;
    }

    public BooleanProperty onlyMistakesProperty() {
        return onlyMistakes;
    }

    public BooleanProperty mistakesFirstProperty() {
        return mistakesFirst;
    }

    public StringProperty textProperty() {
        return text;
    }

    /** The table's own sort (its columns), applied after "mistakes first". */
    public ObjectProperty<Comparator<AuditRow>> tableOrderProperty() {
        return tableOrder;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public IntegerProperty revisionProperty() {
        return revision;
    }
}
