package io.saliencystudio.app.images;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;

/**
 * Drag-and-drop of files onto the window. Model files (a {@code .pt}, or a folder with a {@code manifest.json})
 * open as models; everything else goes to the image list. Only file drops are accepted; the split is a plain
 * function ({@link #route}) so it is tested without a robot.
 */
public final class FileDrop {

    /** Where dropped paths go. */
    public record Routed(List<Path> images, List<Path> models) {}

    private final Consumer<List<Path>> images;
    private final Consumer<Path> model;
    private final Predicate<Path> isDataset;
    private final Consumer<Path> dataset;

    public FileDrop(Consumer<List<Path>> images, Consumer<Path> model) {
        this(images, model, p -> false, p -> { });
    }

    /**
     * @param isDataset whether a dropped folder is a labelled data set (a labels.csv, or class subfolders): those
     *     open in the data set view instead of the image list
     */
    public FileDrop(Consumer<List<Path>> images, Consumer<Path> model, Predicate<Path> isDataset, Consumer<Path> dataset) {
        this.images = images;
        this.model = model;
        this.isDataset = isDataset;
        this.dataset = dataset;
    }

    public void install(Scene scene, Node highlight) {
        scene.addEventHandler(DragEvent.DRAG_OVER, e -> {
            if (e.getDragboard().hasFiles()) {
                e.acceptTransferModes(TransferMode.COPY_OR_MOVE);
                highlight.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("drop-target"), true);
            }
            e.consume();
        });
        scene.addEventHandler(DragEvent.DRAG_EXITED_TARGET, e -> highlight.pseudoClassStateChanged(
                javafx.css.PseudoClass.getPseudoClass("drop-target"), false));
        scene.addEventHandler(DragEvent.DRAG_DROPPED, e -> {
            highlight.pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass("drop-target"), false);
            Dragboard db = e.getDragboard();
            boolean ok = db.hasFiles();
            if (ok) {
                accept(db.getFiles().stream().map(File::toPath).toList());
            }
            e.setDropCompleted(ok);
            e.consume();
        });
    }

    /** Handles a drop (or a paste) of these paths. */
    public void accept(List<Path> paths) {
        List<Path> rest = new ArrayList<>();
        Path data = null;
        for (Path p : paths) {
            if (Files.isDirectory(p) && !isModel(p) && isDataset.test(p)) {
                data = p;
            } else {
                rest.add(p);
            }
        }
        // One data set at a time: the last one dropped wins.
        if (data != null) {
            dataset.accept(data);
        }
        Routed r = route(rest);
        if (!r.images().isEmpty()) {
            images.accept(r.images());
        }
        // One model at a time: the last one dropped wins.
        if (!r.models().isEmpty()) {
            model.accept(r.models().get(r.models().size() - 1));
        }
    }

    public static Routed route(List<Path> paths) {
        List<Path> imgs = new ArrayList<>();
        List<Path> models = new ArrayList<>();
        for (Path p : paths) {
            if (isModel(p)) {
                models.add(p);
            } else {
                imgs.add(p);
            }
        }
        return new Routed(imgs, models);
    }

    static boolean isModel(Path p) {
        if (Files.isDirectory(p)) {
            return Files.isRegularFile(p.resolve("manifest.json"));
        }
        String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".pt") || n.endsWith(".pth") || n.endsWith(".torchscript");
    }
}
