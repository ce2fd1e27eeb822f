package io.saliencystudio.app.dataset;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;

/**
 * The data set view's confusion matrix: rows are true classes, columns predicted ones; each cell shows its count,
 * green on the diagonal and red off it, shaded by count, and filters the table when clicked (a blue border marks the
 * filtering cell). Built a line per pulse: 110 new buttons and their first CSS pass in one frame cost 36-79 ms of FX
 * time on Fashion-MNIST (measured). Everything it shows comes from {@link DatasetViewModel}; use on the FX thread.
 */
final class ConfusionMatrixView {

    private final DatasetViewModel vm;
    private final GridPane grid = new GridPane();
    private final ScrollPane scroll = new ScrollPane(grid);
    private final List<List<Button>> cells = new ArrayList<>();
    /** Called once a build has laid out its last line. */
    private final Runnable built;
    /** The build laying out the matrix a line per pulse, null when the matrix is complete. */
    private OnePerPulse build;
    private int size = -1;

    ConfusionMatrixView(DatasetViewModel vm, Runnable built) {
        this.vm = vm;
        this.built = built;
        grid.setHgap(2);
        grid.setVgap(2);
        grid.setId("dataset-confusion");
        scroll.setFitToWidth(true);
    }

    Node node() {
        return scroll;
    }

    /** Whether the matrix has a cell for every pair of the data set's classes. */
    boolean complete() {
        return build == null && cells.size() == vm.labels().size();
    }

    /**
     * Updates the counts and colours; when the classes changed, starts laying the matrix out anew instead (its lines
     * are painted as they are made) and returns false.
     */
    boolean refresh() {
        int n = vm.labels().size();
        if (!complete()) {
            if (build == null || size != n) {
                layOut(n);
            }
            return false;
        }
        Shades shades = shades();
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                paint(cells.get(t).get(p), t, p, shades);
            }
        }
        return true;
    }

    /** Repaints one cell (its border follows the filtering cell); nothing while the matrix is being laid out. */
    void repaint(DatasetViewModel.Cell c) {
        if (c != null && complete() && c.trueIndex() < cells.size() && c.predicted() < cells.size()) {
            paint(cells.get(c.trueIndex()).get(c.predicted()), c.trueIndex(), c.predicted(), shades());
        }
    }

    /** Lays out an n x n matrix one line per pulse; a build for other classes stops first. */
    private void layOut(int n) {
        if (build != null) {
            build.stop();
        }
        grid.getChildren().clear();
        cells.clear();
        size = n;
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> {
            for (int p = 0; p < n; p++) {
                Label h = new Label(shortLabel(vm.label(p)));
                LazyTooltip.install(h, "predicted " + vm.label(p));
                grid.add(h, p + 1, 0);
            }
            scroll.setMinHeight(Math.min(12, n + 1) * 27 + 12);
        });
        for (int t = 0; t < n; t++) {
            int line = t;
            steps.add(() -> addLine(line, n));
        }
        steps.add(() -> {
            build = null;
            built.run();
        });
        build = new OnePerPulse(steps);
        build.start();
    }

    private void addLine(int t, int n) {
        grid.add(new Label(vm.label(t)), 0, t + 1);
        Shades shades = shades();
        List<Button> line = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            Button b = new Button();
            b.setId("confusion-" + t + "-" + p);
            b.setMinWidth(44);
            b.setPrefWidth(44);
            int predicted = p;
            b.setOnAction(e -> vm.clickCell(t, predicted));
            LazyTooltip.install(b, "true " + vm.label(t) + ", predicted " + vm.label(p));
            paint(b, t, p, shades);
            line.add(b);
            grid.add(b, p + 1, t + 1);
        }
        cells.add(line);
    }

    /** What a cell's colour is relative to: the largest class and the largest mistake count; the filtering cell. */
    private record Shades(long maxRow, long maxMistakes, DatasetViewModel.Cell selected) {}

    private Shades shades() {
        long maxRow = 1;
        for (DatasetViewModel.ClassRow r : vm.classRows()) {
            maxRow = Math.max(maxRow, r.support());
        }
        return new Shades(maxRow, Math.max(1, vm.maxMistakeCount()), vm.cellProperty().get());
    }

    /** A cell's count, its green (diagonal) or red shade by count, and a blue border when it filters the table. */
    private void paint(Button b, int t, int p, Shades shades) {
        long c = vm.count(t, p);
        String text = Long.toString(c);
        if (!text.equals(b.getText())) {
            b.setText(text);
        }
        double f = t == p ? (double) c / shades.maxRow() : (double) c / shades.maxMistakes();
        int alpha = (int) Math.round(100 * (t == p ? 0.15 + 0.6 * f : 0.15 + 0.75 * f));
        // Concatenated, not String.format'ed: a refresh paints every cell, a few times a second during an audit.
        String fill = c == 0 ? "transparent" : (t == p ? "rgba(46,139,87," : "rgba(220,60,40,") + alpha / 100 + "."
                + (alpha % 100 < 10 ? "0" : "") + alpha % 100 + ")";
        DatasetViewModel.Cell selected = shades.selected();
        boolean on = selected != null && selected.trueIndex() == t && selected.predicted() == p;
        String style = "-fx-background-color: " + fill + ";" + (on ? "-fx-border-color: #1e6fd9; -fx-border-width: 2;" : "");
        if (!style.equals(b.getStyle())) {
            b.setStyle(style); // a new inline style re-applies CSS: only when it changed
        }
    }

    private static String shortLabel(String label) {
        return label.length() <= 7 ? label : label.substring(0, 6) + "…";
    }
}
