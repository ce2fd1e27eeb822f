package io.saliencystudio.app;

import io.saliencystudio.app.dataset.DatasetWindow;
import io.saliencystudio.app.dataset.SelectionEvaluationWindow;
import io.saliencystudio.app.dialog.DialogService;
import io.saliencystudio.app.images.ImageItem;
import io.saliencystudio.app.images.FileDrop;
import io.saliencystudio.app.model.ProvenanceView;
import io.saliencystudio.engine.Failures;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.audit.LabelMatcher;
import io.saliencystudio.engine.data.LabelsCsv;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.input.Clipboard;
import javafx.stage.Window;

/**
 * What the menus, toolbar and shortcuts do: file and folder choosers, paste, model opening, export and the small
 * dialogs. Kept apart from the layout so {@link MainWindow} stays about arrangement.
 */
final class MainCommands {

    private final AppContext ctx;
    private final Window owner;
    private final DialogService dialogs;
    private final FileDrop drop;
    private final FigureExportCommand figures;
    private io.saliencystudio.app.sanity.SanityWindow sanityWindow;
    private DatasetWindow datasetWindow;
    private SelectionEvaluationWindow selectionWindow;

    MainCommands(AppContext ctx, Window owner, DialogService dialogs, Supplier<List<ImageItem>> selection) {
        this.ctx = ctx;
        this.owner = owner;
        this.dialogs = dialogs;
        this.figures = new FigureExportCommand(ctx, owner, dialogs, selection);
        this.drop = new FileDrop(paths -> ctx.images().open(paths), path -> ctx.models().open(path),
                this::isDataset, this::openDataset);
    }

    FileDrop drop() {
        return drop;
    }

    void openImages() {
        List<Path> files = dialogs.openFiles(new DialogService.FileQuestion("Open images", List.of(
                new DialogService.FileFilter("Images",
                        ImageLoader.READABLE_EXTENSIONS.stream().map(e -> "*." + e).toList()),
                new DialogService.FileFilter("All files", "*")), initialDirectory()));
        if (!files.isEmpty()) {
            remember(files.get(0).getParent());
            drop.accept(files);
        }
    }

    void openFolder() {
        dialogs.chooseDirectory("Open a folder of images", initialDirectory()).ifPresent(dir -> {
            remember(dir);
            ctx.images().open(List.of(dir));
        });
    }

    /** File > Open data set…: a folder with a labels.csv or one subfolder per class, audited in its own window. */
    void openDataset() {
        if (ctx.models().loaded() == null) {
            ctx.notices().warning("Open a model first: the data set is audited with the loaded model.");
            return;
        }
        dialogs.chooseDirectory("Open a data set: a folder with labels.csv, or one subfolder per class",
                initialDirectory()).ifPresent(dir -> {
                    remember(dir);
                    openDataset(dir);
                });
    }

    /** Opens the data set view on {@code dir} and audits it with the loaded model. */
    void openDataset(Path dir) {
        LoadedModel model = ctx.models().loaded();
        if (model == null) {
            ctx.notices().warning("Open a model first: the data set is audited with the loaded model.");
            return;
        }
        if (datasetWindow == null) {
            datasetWindow = new DatasetWindow(ctx.dataset(), owner,
                    rows -> ctx.dataset().addToList(rows).thenAccept(figures::exportGrid), this::evaluateSelection);
        }
        datasetWindow.stage().setTitle("Data set: " + dir.getFileName() + " with " + model.manifest().name());
        datasetWindow.show();
        ctx.dataset().open(dir, model).whenComplete((data, error) -> {
            if (error != null) {
                ctx.notices().error("Could not open the data set: " + Failures.rootCause(error).getMessage(), error);
            }
        });
    }

    /**
     * Whether a dropped folder is a labelled data set: it holds a labels.csv, or it holds no images itself and at
     * least one subfolder named by a class of the loaded model (ImageFolder).
     */
    boolean isDataset(Path dir) {
        if (Files.isRegularFile(dir.resolve(LabelsCsv.FILE_NAME))) {
            return true;
        }
        LoadedModel model = ctx.models().loaded();
        if (model == null) {
            return false;
        }
        LabelMatcher matcher = new LabelMatcher(model.modelPackage().labels());
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> children = s.toList();
            return children.stream().noneMatch(p -> Files.isRegularFile(p) && ImageLoader.hasReadableExtension(p))
                    && children.stream().anyMatch(p -> Files.isDirectory(p)
                            && matcher.byFolderName(p.getFileName().toString()).isPresent());
        } catch (IOException e) {
            return false;
        }
    }

    /** "Evaluate selection…" in the data set view: the results window, evaluating the rows. */
    private void evaluateSelection(List<AuditRow> rows) {
        if (selectionWindow == null) {
            selectionWindow = new SelectionEvaluationWindow(ctx.selectionEvaluation(), datasetWindow.stage(), dialogs,
                    ctx.io(), this::initialDirectory);
        }
        selectionWindow.evaluate(rows);
    }

    /** The selection's evaluation window once opened (for tests), or {@code null}. */
    SelectionEvaluationWindow selectionWindow() {
        return selectionWindow;
    }

    /** The data set window once opened (for tests), or {@code null}. */
    DatasetWindow datasetWindow() {
        return datasetWindow;
    }

    void openModel() {
        dialogs.openFile(new DialogService.FileQuestion(
                "Open a model: a package's manifest.json or model.pt, or a bare TorchScript .pt", List.of(
                        new DialogService.FileFilter("Models", "*.pt", "*.pth", "manifest.json"),
                        new DialogService.FileFilter("All files", "*")), ctx.config().modelsDir()))
                .ifPresent(p -> {
                    // A package is opened as its folder, so its manifest and labels come with it.
                    boolean inPackage = p.getParent() != null
                            && p.getParent().resolve("manifest.json").toFile().isFile();
                    Path model = inPackage ? p.getParent() : p;
                    if (offerToAdd(model)) {
                        ctx.models().addToUserModels(model, ctx.config().userModelsDir());
                    } else {
                        ctx.models().open(model);
                    }
                });
    }

    /**
     * For a model outside the listed folders, asks whether to copy it into the user's models folder so it is listed
     * from then on. True to add; false to open it where it is (also when there is nothing to ask).
     */
    private boolean offerToAdd(Path model) {
        Path userDir = ctx.config().userModelsDir();
        Path abs = model.toAbsolutePath().normalize();
        if (userDir == null || abs.startsWith(userDir) || abs.startsWith(ctx.config().modelsDir().toAbsolutePath())) {
            return false;
        }
        return dialogs.confirm("Open model", "Add " + abs.getFileName() + " to your models?", "A copy goes to "
                + userDir + " and is listed in the model picker every time. Nothing there is replaced. Or open it "
                + "from where it is, for this session only.", "Add to my models", "Just open it");
    }

    void paste() {
        ctx.clipboard().paste(Clipboard.getSystemClipboard()).whenCompleteAsync((paths, error) -> {
            if (error != null) {
                ctx.notices().error("Could not paste: " + error.getMessage(), error);
            } else if (paths.isEmpty()) {
                ctx.notices().info("Nothing to paste: copy image files, a path, or an image.");
            } else {
                drop.accept(paths);
            }
        }, Platform::runLater);
    }

    /** File > Export figure…: the current image, original + saliency + Grad-CAM. */
    void exportFigure() {
        figures.exportCurrent();
    }

    /** File > Export grid of selected images…. */
    void exportGrid() {
        figures.exportGrid();
    }

    void showProvenance() {
        LoadedModel m = ctx.models().loaded();
        if (m == null) {
            return;
        }
        Dialog<ButtonType> d = new Dialog<>();
        d.initOwner(owner);
        d.setTitle("Model provenance: " + m.manifest().name());
        d.setHeaderText(m.manifest().name());
        d.getDialogPane().setContent(new ProvenanceView(m.modelPackage(), m.numClasses(), m.hasTaps(),
                ctx.models().deviceProperty().get()));
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.setResizable(true);
        d.show();
    }

    void showShortcuts() {
        dialogs.showInformation("Keyboard shortcuts", "Keyboard shortcuts", String.join("\n",
                "Up / Down      previous / next image (image list)",
                "[ / ]          previous / next layer (Grad-CAM and the other layer methods)",
                "+ / - / 0      zoom in / out / fit (all panels)",
                "Mouse wheel    zoom at the pointer; drag to pan; double-click to fit",
                "Esc            cancel running work (each slow panel also has its own Cancel)",
                "F5             recompute what is shown (after a cancel)",
                "Ctrl+O         open images      Ctrl+Shift+O  open a folder",
                "Ctrl+M         open a model     Ctrl+V        paste images or paths",
                "Ctrl+D         open a data set (labels.csv or one subfolder per class)",
                "Ctrl+E         export a figure (PNG, SVG or PDF)",
                "Delete         remove selected images from the list"), true);
    }

    /** Explain > Sanity check…: one window, reused, that shows the running check and then its strips. */
    void sanityCheck() {
        if (!ctx.sanity().run()) {
            ctx.notices().warning(ctx.sanity().messageProperty().get());
            return;
        }
        if (sanityWindow == null) {
            sanityWindow = new io.saliencystudio.app.sanity.SanityWindow(ctx.sanity(), ctx.display(), owner);
        }
        sanityWindow.show();
    }

    /** The sanity-check window once opened (for tests), or {@code null}. */
    io.saliencystudio.app.sanity.SanityWindow sanityWindow() {
        return sanityWindow;
    }

    void showAbout() {
        Path log = ctx.notices().logFile();
        dialogs.showInformation("About Saliency Studio", "Saliency Studio",
                "Saliency maps and Grad-CAM for TorchScript image classifiers.\n\n"
                + "Models: " + ctx.config().modelsDir() + "\n"
                + "Your models: " + ctx.config().userModelsDir() + "\n"
                + "Log file: " + (log == null ? "(none)" : log) + "\n"
                + "Cached maps: " + ctx.inference().cachedMaps(), false);
    }

    /** The last folder images came from, if it still exists. */
    private Path initialDirectory() {
        return ctx.prefs().lastDirectory().map(Path::of).filter(java.nio.file.Files::isDirectory).orElse(null);
    }

    private void remember(Path dir) {
        if (dir != null) {
            ctx.prefs().setLastDirectory(dir.toAbsolutePath().toString());
        }
    }
}
