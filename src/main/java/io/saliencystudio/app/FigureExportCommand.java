package io.saliencystudio.app;

import io.saliencystudio.app.dialog.DialogService;
import io.saliencystudio.app.explain.FigureExport;
import io.saliencystudio.app.explain.FigureExportDialog;
import io.saliencystudio.app.images.ImageItem;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.service.ExplainQuery;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.figure.FigureExporter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.stage.Window;

/**
 * File > Export figure… and File > Export grid of selected images…: the dialog, the file chooser, the overwrite
 * question, and the background export with the status bar's progress and a notification at the end. Runs on the UI
 * thread but never blocks it: maps for the grid come through the {@code InferenceService} one after another, and the
 * figure is rendered and written on the I/O executor.
 */
final class FigureExportCommand {

    static final List<DialogService.FileFilter> FIGURE_FILTERS = List.of(
            new DialogService.FileFilter("PNG image", "*.png"), new DialogService.FileFilter("SVG drawing", "*.svg"),
            new DialogService.FileFilter("PDF document", "*.pdf"));

    private final AppContext ctx;
    private final Window owner;
    private final DialogService dialogs;
    private final Supplier<List<ImageItem>> selection;
    private final FigureExport export;

    FigureExportCommand(AppContext ctx, Window owner, DialogService dialogs, Supplier<List<ImageItem>> selection) {
        this.ctx = ctx;
        this.owner = owner;
        this.dialogs = dialogs;
        this.selection = selection;
        this.export = new FigureExport(ctx.io());
    }

    void exportCurrent() {
        ExplainOutcome out = ctx.explain().outcome();
        if (out == null) {
            ctx.notices().info("Nothing to export yet: select an image first.");
            return;
        }
        String base = stem(out.query().image().name()) + "-" + out.target().label().replaceAll("[^A-Za-z0-9_-]", "_");
        run(List.of(out), base);
    }

    void exportGrid() {
        exportGrid(selection.get());
    }

    /** A grid of {@code chosen} (listed images, e.g. rows of the data set view added to the list). */
    void exportGrid(List<ImageItem> chosen) {
        ExplainOutcome current = ctx.explain().outcome();
        List<ImageItem> items = chosen.stream().filter(i -> !i.failed()).toList();
        if (current == null || items.isEmpty()) {
            ctx.notices().info("Nothing to export yet: load a model and select one or more images.");
            return;
        }
        gather(current, items, outcomes -> run(outcomes, "grid-" + outcomes.size() + "-images"));
    }

    /**
     * Gets each image's explanation (like the current view's model and layer, each image's top class) through the
     * inference service, one after another, and hands the list to {@code then} on the UI thread. Never waits.
     */
    void gather(ExplainOutcome current, List<ImageItem> items, Consumer<List<ExplainOutcome>> then) {
        ctx.status().beginTask("Preparing maps for " + items.size() + " images…");
        // The view's own requests supersede ours (latest request wins): if the user moves on, stop instead of waiting.
        var explain = ctx.explain();
        List<javafx.beans.value.ObservableValue<?>> watched = List.of(explain.imageProperty(), explain.requestedClassProperty(),
                explain.layerProperty(), explain.modelProperty());
        boolean[] stopped = {false};
        javafx.beans.value.ChangeListener<Object> stop = new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<?> o, Object was, Object now) {
                watched.forEach(w -> w.removeListener(this));
                if (!stopped[0]) {
                    stopped[0] = true;
                    ctx.status().endTask();
                    ctx.notices().info("Grid export stopped: the view changed while its maps were prepared.");
                }
            }
        };
        watched.forEach(w -> w.addListener(stop));
        collect(current.query(), items, 0, new ArrayList<>(), stopped, outcomes -> {
            watched.forEach(w -> w.removeListener(stop));
            ctx.status().endTask();
            ctx.explain().refresh();
            then.accept(outcomes);
        }, () -> watched.forEach(w -> w.removeListener(stop)));
    }

    /** Asks the inference service for each image in turn (cache first), on the UI thread, without waiting. */
    private void collect(ExplainQuery like, List<ImageItem> items, int i, List<ExplainOutcome> done,
            boolean[] stopped, Consumer<List<ExplainOutcome>> then, Runnable onFailure) {
        if (stopped[0]) {
            return;
        }
        if (i == items.size()) {
            then.accept(done);
            return;
        }
        ExplainQuery q = new ExplainQuery(items.get(i).source(), like.model(), null, like.layer(),
                EnumSet.of(Method.SALIENCY, Method.GRADCAM));
        ctx.inference().explain(q, out -> {
            done.add(out);
            collect(like, items, i + 1, done, stopped, then, onFailure);
        }, error -> {
            if (stopped[0]) {
                return;
            }
            stopped[0] = true;
            onFailure.run();
            ctx.status().endTask();
            ctx.explain().refresh();
            ctx.notices().error("Could not explain " + items.get(i).name() + " for the grid: "
                    + FigureExport.describe(error), error);
        });
    }

    private void run(List<ExplainOutcome> outcomes, String base) {
        var display = ctx.display();
        var settings = FigureExportDialog.ask(owner, export, outcomes, display.colormapProperty().get(),
                display.opacityProperty(Method.SALIENCY).get(), 300);
        if (settings.isEmpty()) {
            return;
        }
        var answer = dialogs.saveFile(new DialogService.FileQuestion("Export figure", FIGURE_FILTERS,
                ctx.prefs().lastDirectory().map(Path::of).orElse(null), base + ".png"));
        if (answer.isEmpty()) {
            return;
        }
        Path chosen = answer.get().file();
        Path file = withExtension(chosen, answer.get().filter());
        if (chosen.toAbsolutePath().getParent() != null) {
            ctx.prefs().setLastDirectory(chosen.toAbsolutePath().getParent().toString());
        }
        ctx.status().beginTask("Exporting " + file.getFileName() + "…");
        export.export(outcomes, settings.get(), file, this::confirmOverwrite).whenCompleteAsync((result, error) -> {
            ctx.status().endTask();
            if (error != null) {
                ctx.notices().error("Export failed: " + FigureExport.describe(error), error);
            } else if (result.isEmpty()) {
                ctx.notices().info("Export cancelled: " + file.getFileName() + " was left as it was.");
            } else {
                FigureExporter.Result r = result.get();
                ctx.notices().info("Saved " + r.figure() + " (and " + r.sidecar().getFileName() + ")",
                        "Show in folder", () -> showFolder(r.figure()));
            }
        }, Platform::runLater);
    }

    /** Adds the chosen filter's extension when the name has none of .png/.svg/.pdf. */
    static Path withExtension(Path file, DialogService.FileFilter filter) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".png") || name.endsWith(".svg") || name.endsWith(".pdf")) {
            return file;
        }
        String ext = filter == null ? ".png" : filter.extension();
        return file.resolveSibling(file.getFileName() + ext);
    }

    private boolean confirmOverwrite(Path file) {
        return dialogs.confirm("Replace existing figure?", "Replace " + file.getFileName() + "?", file.getFileName()
                + " (or its .json provenance) already exists. Replace it?", "Yes", "No");
    }

    /** Opens the folder holding {@code file}; tells the user the path when no desktop integration works. */
    private void showFolder(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (dialogs.showDocument(dir.toUri())) {
                return;
            }
            if (java.awt.Desktop.isDesktopSupported()
                    && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.OPEN)) {
                ctx.io().execute(() -> {
                    try {
                        java.awt.Desktop.getDesktop().open(dir.toFile());
                    } catch (Exception e) {
                        Platform.runLater(() -> ctx.notices().warning("Could not open " + dir + ": " + e.getMessage()));
                    }
                });
                return;
            }
        } catch (RuntimeException e) {
            ctx.notices().warning("Could not open " + dir + ": " + e.getMessage());
            return;
        }
        ctx.notices().info("The figure is in " + dir);
    }

    private static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
