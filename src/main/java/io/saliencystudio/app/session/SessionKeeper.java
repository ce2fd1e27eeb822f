package io.saliencystudio.app.session;

import io.saliencystudio.app.explain.ExplainViewModel;
import io.saliencystudio.app.images.ImageItem;
import io.saliencystudio.app.images.ImageListViewModel;
import io.saliencystudio.app.model.ModelViewModel;
import io.saliencystudio.app.prefs.AppPreferences;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.status.NotificationCenter;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the session on disk as the user works and brings it back at start. Every change (images added or removed,
 * selection, model, the class and layer an image was explained with, a note) takes a snapshot on the UI thread and
 * schedules a write; writes are debounced ({@link #QUIET_MILLIS} after the last change, at most
 * {@link #MAX_DELAY_MILLIS} after the first) and run on a background thread, atomically. A crash therefore loses at
 * most the last second of work, and never the previous session.
 *
 * <p>Class and layer choices are recorded from the explanations actually shown (not from the choosers), so the
 * defaults the view-model sets while switching image or model never overwrite a stored choice. UI thread only,
 * except where noted.
 */
public final class SessionKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionKeeper.class);
    public static final long QUIET_MILLIS = 400;
    public static final long MAX_DELAY_MILLIS = 2000;

    private record Choice(String model, Integer classIndex, String layer) {}

    private final SessionStore store;
    private final ModelViewModel models;
    private final ImageListViewModel images;
    private final ExplainViewModel explain;
    private final NotificationCenter notices;
    private final Map<String, Choice> choices = new HashMap<>();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "session-writer");
        t.setDaemon(true);
        return t;
    });
    private final ChangeListener<String> noteChanged = (o, was, now) -> changed();
    private ScheduledFuture<?> scheduled;
    private long firstDirtyNanos;
    private volatile SessionState latest;
    private boolean restoring;

    public SessionKeeper(SessionStore store, ModelViewModel models, ImageListViewModel images, ExplainViewModel explain,
            NotificationCenter notices) {
        this.store = store;
        this.models = models;
        this.images = images;
        this.explain = explain;
        this.notices = notices;
        // Registered after AppContext's own listeners, so these run once the view-model has switched image/model.
        images.items().addListener((ListChangeListener<ImageItem>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(i -> i.noteProperty().addListener(noteChanged));
                c.getRemoved().forEach(i -> i.noteProperty().removeListener(noteChanged));
            }
            changed();
        });
        images.selectedProperty().addListener((o, was, now) -> {
            applyChoice(now);
            changed();
        });
        models.loadedProperty().addListener((o, was, now) -> {
            applyChoice(images.selected());
            changed();
        });
        explain.outcomeProperty().addListener((o, was, now) -> record(now));
    }

    /**
     * Reads the last session: its model becomes the one {@link ModelViewModel#startupChoice()} opens, and its images
     * are listed again (files that are gone are skipped, with one notice), the selected one selected. A damaged file
     * is set aside with a notice. Completes on the UI thread once the images are listed.
     */
    public CompletableFuture<Void> restore(AppPreferences prefs) {
        SessionStore.Read read = store.read();
        if (read.problem() != null) {
            notices.warning(read.problem());
        }
        if (read.session().isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        SessionState s = read.session().get();
        if (s.model() != null && Files.exists(Path.of(s.model()))) {
            prefs.setLastModel(s.model());
        }
        List<Path> present = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (SessionState.Image img : s.images()) {
            if (img == null || img.path() == null) {
                continue;
            }
            Path p = Path.of(img.path());
            if (Files.isRegularFile(p)) {
                present.add(p);
                if (img.model() != null) {
                    choices.put(img.path(), new Choice(img.model(), img.classIndex(), img.layer()));
                }
            } else {
                missing.add(p.getFileName().toString());
            }
        }
        if (!missing.isEmpty()) {
            notices.warning(missing.size() + (missing.size() == 1 ? " image" : " images") + " from the last session "
                    + (missing.size() == 1 ? "is" : "are") + " no longer there and " + (missing.size() == 1 ? "was" : "were")
                    + " skipped: " + String.join(", ", missing.subList(0, Math.min(5, missing.size())))
                    + (missing.size() > 5 ? "…" : "") + ".");
        }
        if (present.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        restoring = true;
        return images.add(present).thenAccept(items -> {
            Map<String, SessionState.Image> byPath = new HashMap<>();
            s.images().forEach(i -> byPath.put(i.path(), i));
            for (ImageItem item : items) {
                SessionState.Image saved = byPath.get(item.source().path().toString());
                if (saved != null && saved.note() != null) {
                    item.noteProperty().set(saved.note());
                }
            }
            items.stream().filter(i -> i.source().path().toString().equals(s.selected())).findFirst()
                    .ifPresent(i -> images.selectedProperty().set(i));
        }).whenComplete((v, e) -> {
            restoring = false;
            if (e != null) {
                LOG.warn("restoring the session's images failed", e);
            }
            changed();
        });
    }

    /** Records the class and layer of what is now on screen as the image's choice for this model. */
    private void record(ExplainOutcome shown) {
        ImageItem current = images.selected();
        if (shown == null || current == null || !shown.query().image().equals(current.source())) {
            return;
        }
        String model = location(shown.query().model());
        Choice choice = new Choice(model, shown.query().classIndex(), shown.query().layer());
        if (!choice.equals(choices.put(current.source().path().toString(), choice))) {
            changed();
        }
    }

    /** Asks again for an image's stored class and layer, if they were chosen with the model now loaded. */
    private void applyChoice(ImageItem item) {
        LoadedModel model = models.loaded();
        Choice c = item == null || model == null ? null : choices.get(item.source().path().toString());
        if (c == null || !c.model().equals(location(model)) || !item.source().equals(explain.imageProperty().get())) {
            return;
        }
        if (c.layer() != null) {
            explain.layers().stream().filter(t -> t.displayName().equals(c.layer())).findFirst()
                    .ifPresent(explain::selectLayer);
        }
        if (c.classIndex() != null) {
            explain.selectClass(c.classIndex());
        }
    }

    private static String location(LoadedModel model) {
        return model.modelPackage().location().toString();
    }

    /** Takes a snapshot now and schedules its write. */
    private void changed() {
        if (restoring || writer.isShutdown()) {
            // After close() the app is going away (or a test's context is): a late change from work still in
            // flight is not the user's and must not throw on the FX thread.
            return;
        }
        latest = snapshot();
        long now = System.nanoTime();
        if (scheduled == null || scheduled.isDone()) {
            firstDirtyNanos = now;
        } else {
            scheduled.cancel(false);
        }
        long waited = (now - firstDirtyNanos) / 1_000_000;
        long delay = Math.max(0, Math.min(QUIET_MILLIS, MAX_DELAY_MILLIS - waited));
        scheduled = writer.schedule(this::writeLatest, delay, TimeUnit.MILLISECONDS);
    }

    SessionState snapshot() {
        LoadedModel model = models.loaded();
        String modelLocation = model != null ? location(model)
                : models.currentProperty().get() != null ? models.currentProperty().get().location().toString() : null;
        List<SessionState.Image> list = new ArrayList<>();
        for (ImageItem item : images.items()) {
            String path = item.source().path().toString();
            Choice c = choices.get(path);
            String note = item.noteProperty().get();
            list.add(new SessionState.Image(path, c == null ? null : c.model(), c == null ? null : c.classIndex(),
                    c == null ? null : c.layer(), note == null || note.isBlank() ? null : note));
        }
        ImageItem sel = images.selected();
        return new SessionState(SessionState.FORMAT, modelLocation, sel == null ? null : sel.source().path().toString(),
                list);
    }

    /** Writer thread. */
    private synchronized void writeLatest() {
        SessionState s = latest;
        if (s == null) {
            return;
        }
        try {
            store.write(s);
        } catch (IOException e) {
            // Not worth interrupting the user for: the next change tries again; the log keeps the reason.
            LOG.warn("could not save the session", e);
        }
    }

    /** Writes what is pending now and stops the writer (clean shutdown). */
    @Override
    public void close() {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        writer.shutdown();
        try {
            writer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writeLatest();
    }

    /** The last snapshot taken (for tests). */
    Optional<SessionState> latest() {
        return Optional.ofNullable(latest);
    }
}
