package io.saliencystudio.app.dataset;

import io.saliencystudio.app.FxImages;
import io.saliencystudio.engine.audit.AuditRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.skin.TableViewSkin;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The data set view: progress and Cancel, the table of audited images (thumbnail, file, true, predicted,
 * confidence, correct; sortable, filterable, "Only mistakes" and "Mistakes first" one click away), the confusion
 * matrix (a cell filters the table; clicking it again clears) and the per-class table. Double-click a row, or
 * Explain, to see it in the main window's panels. Thin: everything it shows comes from {@link DatasetViewModel}.
 */
public final class DatasetWindow {

    private final DatasetViewModel vm;
    private final Stage stage = new Stage();
    private final Window owner;
    private final TableView<AuditRow> table = new TableView<>();
    private final TableView<DatasetViewModel.ClassRow> classes = new TableView<>();
    private final GridPane confusion = new GridPane();
    private final List<List<Button>> cells = new ArrayList<>();
    private final ScrollPane matrixScroll = new ScrollPane(confusion);
    private final OnePerPulse reveal;
    /** The matrix being laid out a line per pulse ({@link #buildMatrix}), null when it is complete. */
    private OnePerPulse matrixBuild;
    private int matrixSize = -1;
    /** The table's row height: one 40 px thumbnail and its padding. */
    private static final double ROW_HEIGHT = 46;
    /** How many rows the table may add per pulse while its first rows arrive ({@link #growFirstRows}). */
    private static final int FIRST_ROWS = 4;
    private static final javafx.util.Duration COUNTS_EVERY = javafx.util.Duration.millis(250);
    private final javafx.animation.PauseTransition countsLater = new javafx.animation.PauseTransition(COUNTS_EVERY);

    /** @param exportGrid exports the selected rows as a figure grid (the main window's export) */
    public DatasetWindow(DatasetViewModel vm, Window owner, Consumer<List<AuditRow>> exportGrid) {
        this(vm, owner, exportGrid, null);
    }

    /**
     * @param evaluateSelection evaluates the selected rows' faithfulness ("Evaluate selection…");
     *     {@code null} leaves the command out
     */
    public DatasetWindow(DatasetViewModel vm, Window owner, Consumer<List<AuditRow>> exportGrid,
            Consumer<List<AuditRow>> evaluateSelection) {
        this.vm = vm;
        this.owner = owner;
        stage.initOwner(owner);
        stage.setTitle("Data set");

        ProgressBar bar = new ProgressBar();
        bar.progressProperty().bind(vm.progressProperty());
        bar.setPrefWidth(200);
        Button cancel = new Button("Cancel");
        cancel.setId("dataset-cancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Button again = new Button("Audit again");
        again.setId("dataset-audit-again");
        again.setTooltip(new Tooltip("Forget this model's remembered audit of the folder and audit every image again "
                + "(reopening a folder shows its earlier audit at once; images edited in place are not noticed)"));
        again.disableProperty().bind(vm.runningProperty());
        again.setOnAction(e -> vm.auditAgain());
        Label status = new Label();
        status.setId("dataset-status");
        status.textProperty().bind(vm.messageProperty());
        HBox tools = new HBox(8, bar, cancel, again, status);
        tools.setAlignment(Pos.CENTER_LEFT);
        VBox top = new VBox(6, tools);

        VBox right = new VBox(8);
        right.setPadding(new Insets(4));
        VBox.setVgrow(classes, Priority.ALWAYS);
        // The table is capped in height while its first rows arrive (growFirstRows); a VBox keeps it at the top.
        VBox left = new VBox(table);
        VBox.setVgrow(table, Priority.ALWAYS);
        SplitPane split = new SplitPane(new Label("Listing the data set…"), new VBox());
        split.setDividerPositions(0.5);
        BorderPane root = new BorderPane(split);
        root.setTop(top);
        BorderPane.setMargin(top, new Insets(6));
        // The window shows with its progress line; each heavy part (the filter line, the table, the matrix, the class
        // table) is built and joins the scene in a pulse of its own: the first use of each control's classes and CSS
        // costs tens of ms on the FX thread, 100-130 ms when all were built in the frame of the click (measured).
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> top.getChildren().add(filterLine(evaluateSelection, exportGrid)));
        steps.add(this::buildTable);
        // A table's skin (header row, flow, scroll bars) is made in one pulse and styled in the next, when it joins.
        steps.add(() -> table.setSkin(new TableViewSkin<>(table)));
        steps.add(() -> split.getItems().set(0, left));
        for (TableColumn<AuditRow, ?> column : columns()) {
            steps.add(() -> table.getColumns().add(column));
        }
        steps.add(() -> {
            Label matrixTitle = new Label("Confusion (rows: true, columns: predicted). Click a cell to filter.");
            matrixTitle.setWrapText(true);
            right.getChildren().addAll(matrixTitle, matrixScroll);
            split.getItems().set(1, right);
        });
        steps.add(() -> {
            buildClassTable();
            classes.setSkin(new TableViewSkin<>(classes));
        });
        steps.add(() -> right.getChildren().addAll(new Label("Per class"), classes));
        reveal = new OnePerPulse(steps);
        confusion.setHgap(2);
        confusion.setVgap(2);
        confusion.setId("dataset-confusion");
        matrixScroll.setFitToWidth(true);
        // Counts follow new rows at most every COUNTS_EVERY (a batch of 64 arrives ~17 times a second; restyling the
        // matrix's changed cells for each cost a frame its budget), at once when the user clicks or the audit ends.
        countsLater.setOnFinished(e -> refreshCounts());
        vm.revisionProperty().addListener((o, a, b) -> {
            if (vm.runningProperty().get() && cells.size() == vm.labels().size()) {
                if (countsLater.getStatus() != javafx.animation.Animation.Status.RUNNING) {
                    countsLater.playFromStart();
                }
            } else {
                refreshCounts();
            }
        });
        vm.runningProperty().addListener((o, a, b) -> refreshCounts());
        // A click on a cell repaints only the cells whose border changes: the table's refiltering has that frame.
        vm.cellProperty().addListener((o, a, b) -> {
            repaint(a);
            repaint(b);
        });
        stage.setScene(new Scene(root, 1280, 800));
        refreshCounts();
    }

    /** Only mistakes, Mistakes first, the text filter, Explain, Export grid, Evaluate selection and the row count. */
    private HBox filterLine(Consumer<List<AuditRow>> evaluateSelection, Consumer<List<AuditRow>> exportGrid) {
        ToggleButton only = new ToggleButton("Only mistakes");
        only.setId("dataset-only-mistakes");
        only.selectedProperty().bindBidirectional(vm.onlyMistakesProperty());
        ToggleButton first = new ToggleButton("Mistakes first");
        first.setId("dataset-mistakes-first");
        first.selectedProperty().bindBidirectional(vm.mistakesFirstProperty());
        TextField filter = new TextField();
        filter.setId("dataset-filter");
        filter.setPromptText("Filter: file or class");
        filter.textProperty().bindBidirectional(vm.textProperty());
        Button explain = new Button("Explain in main window");
        explain.setId("dataset-explain");
        explain.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        explain.setOnAction(e -> explainSelected());
        Button grid = new Button("Export grid…");
        grid.setId("dataset-export-grid");
        grid.setTooltip(new Tooltip("The selected rows (Ctrl/Shift-click for several) as a figure grid, through the main "
                + "window's export: the images are added to its list"));
        grid.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        grid.setOnAction(e -> exportGrid.accept(List.copyOf(table.getSelectionModel().getSelectedItems())));
        Label count = new Label();
        count.setId("dataset-count");
        count.textProperty().bind(javafx.beans.binding.Bindings.size(vm.shown()).asString("%d shown"));
        HBox filters = new HBox(8, only, first, filter, explain, grid, count);
        if (evaluateSelection != null) {
            addEvaluateSelection(filters, evaluateSelection);
        }
        filters.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(filter, Priority.SOMETIMES);
        return filters;
    }

    /** "Evaluate selection…" as a button beside Export grid and in the table's context menu, with ≥1 row selected. */
    private void addEvaluateSelection(HBox filters, Consumer<List<AuditRow>> evaluate) {
        Runnable run = () -> evaluate.accept(List.copyOf(table.getSelectionModel().getSelectedItems()));
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        Button button = new Button("Evaluate selection…");
        button.setId("dataset-evaluate");
        button.setTooltip(new Tooltip("Faithfulness of the selected rows' maps (deletion, insertion, average drop): "
                + "mean ± sd, median and n per method"));
        button.disableProperty().bind(none);
        button.setOnAction(e -> run.run());
        filters.getChildren().add(filters.getChildren().size() - 1, button);
        javafx.scene.control.MenuItem item = new javafx.scene.control.MenuItem("Evaluate selection…");
        item.setId("dataset-evaluate-menu");
        item.disableProperty().bind(none);
        item.setOnAction(e -> run.run());
        table.setContextMenu(new javafx.scene.control.ContextMenu(item));
    }

    /**
     * The table's columns; they join the table a pulse each ({@code reveal}): each header's first CSS pass is a few ms,
     * and the table's own skin (header row, flow, scroll bars) takes the pulse before them.
     */
    private List<TableColumn<AuditRow, ?>> columns() {
        TableColumn<AuditRow, AuditRow> thumb = new TableColumn<>("Image");
        thumb.setSortable(false);
        thumb.setPrefWidth(64);
        thumb.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        thumb.setCellFactory(c -> new ThumbnailCell());
        TableColumn<AuditRow, Double> conf = column("Confidence", 85, AuditRow::confidence);
        conf.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : String.format(Locale.ROOT, "%.1f%%", 100 * v));
            }
        });
        return List.of(thumb, column("File", 160, r -> r.image()), column("True", 95, r -> vm.label(r.trueIndex())),
                column("Predicted", 95, r -> vm.label(r.predicted())), conf,
                column("Correct", 60, r -> r.correct() ? "✓" : "✗"));
    }

    private void buildTable() {
        table.setId("dataset-table");
        table.setItems(vm.shown());
        table.setPlaceholder(new Label("No images yet"));
        // Every row is one 40 px thumbnail high: a fixed size spares the table measuring each new cell's height,
        // most of the frame in which the first rows arrive.
        table.setFixedCellSize(ROW_HEIGHT);
        table.getSelectionModel().setSelectionMode(javafx.scene.control.SelectionMode.MULTIPLE);
        table.setSortPolicy(t -> {
            vm.tableOrderProperty().set(t.getComparator());
            return true;
        });
        growFirstRows();
        table.setRowFactory(t -> {
            TableRow<AuditRow> row = new TableRow<>();
            row.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && !row.isEmpty()) {
                    explain(row.getItem());
                }
            });
            return row;
        });
    }

    /**
     * While the table's first rows arrive, its height grows by {@link #FIRST_ROWS} rows a pulse: each new row of cells
     * costs its first CSS pass, and a whole viewport of them (about 15 rows of 6 cells) in the frame of the first
     * batch cost 60-135 ms of FX-thread time on Fashion-MNIST (measured); a few rows per frame stay well below that.
     */
    private void growFirstRows() {
        javafx.collections.ListChangeListener<AuditRow> first = new javafx.collections.ListChangeListener<>() {
            @Override
            public void onChanged(Change<? extends AuditRow> c) {
                if (table.getItems().isEmpty()) {
                    return;
                }
                table.getItems().removeListener(this);
                double header = 30;
                double space = table.getHeight() <= 0 ? 1200 : table.getHeight();
                List<Runnable> steps = new ArrayList<>();
                for (int k = 2 * FIRST_ROWS; header + (k - FIRST_ROWS) * ROW_HEIGHT < space; k += FIRST_ROWS) {
                    double cap = header + k * ROW_HEIGHT;
                    steps.add(() -> table.setMaxHeight(cap));
                }
                steps.add(() -> table.setMaxHeight(Double.MAX_VALUE));
                table.setMaxHeight(header + FIRST_ROWS * ROW_HEIGHT);
                new OnePerPulse(steps).start();
            }
        };
        table.getItems().addListener(first);
    }

    private static <T> TableColumn<AuditRow, T> column(String title, double width, Function<AuditRow, T> value) {
        TableColumn<AuditRow, T> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        return c;
    }

    private void buildClassTable() {
        classes.setId("dataset-classes");
        classes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        classes.setFixedCellSize(24); // text rows: no per-cell height measurement when the table is attached
        TableColumn<DatasetViewModel.ClassRow, String> label = new TableColumn<>("Class");
        label.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue().label()));
        classes.getColumns().add(label);
        classes.getColumns().add(stat("Precision", DatasetViewModel.ClassRow::precision));
        classes.getColumns().add(stat("Recall", DatasetViewModel.ClassRow::recall));
        classes.getColumns().add(stat("F1", DatasetViewModel.ClassRow::f1));
        TableColumn<DatasetViewModel.ClassRow, Long> support = new TableColumn<>("Support");
        support.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue().support()));
        classes.getColumns().add(support);
    }

    private static TableColumn<DatasetViewModel.ClassRow, String> stat(String title,
            Function<DatasetViewModel.ClassRow, Double> value) {
        TableColumn<DatasetViewModel.ClassRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(f -> {
            Double v = value.apply(f.getValue());
            return new ReadOnlyObjectWrapper<>(v == null ? "–" : String.format(Locale.ROOT, "%.3f", v));
        });
        return c;
    }

    /**
     * Lays out an n x n matrix one line per pulse, each line with its counts and colours, then fills the class table
     * in a pulse of its own; a build for other classes stops first.
     */
    private void buildMatrix(int n) {
        if (matrixBuild != null) {
            matrixBuild.stop();
        }
        confusion.getChildren().clear();
        cells.clear();
        matrixSize = n;
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> {
            for (int p = 0; p < n; p++) {
                Label h = new Label(shortLabel(vm.label(p)));
                LazyTooltip.install(h, "predicted " + vm.label(p));
                confusion.add(h, p + 1, 0);
            }
            matrixScroll.setMinHeight(Math.min(12, n + 1) * 27 + 12);
        });
        for (int t = 0; t < n; t++) {
            int tt = t;
            steps.add(() -> addMatrixLine(tt, n));
        }
        steps.add(() -> classes.getItems().setAll(vm.classRows()));
        steps.add(() -> {
            matrixBuild = null;
            refreshCounts();
        });
        matrixBuild = new OnePerPulse(steps);
        matrixBuild.start();
    }

    private void addMatrixLine(int t, int n) {
        confusion.add(new Label(vm.label(t)), 0, t + 1);
        Shades shades = shades();
        List<Button> line = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            Button b = new Button();
            b.setId("confusion-" + t + "-" + p);
            b.setMinWidth(44);
            b.setPrefWidth(44);
            int pp = p;
            b.setOnAction(e -> vm.clickCell(t, pp));
            LazyTooltip.install(b, "true " + vm.label(t) + ", predicted " + vm.label(p));
            paint(b, t, p, shades);
            line.add(b);
            confusion.add(b, p + 1, t + 1);
        }
        cells.add(line);
    }

    /**
     * Rebuilds the matrix when the classes change (a line of cells per pulse: 110 new buttons and their first CSS pass
     * in one frame cost 36-79 ms of FX time, measured on Fashion-MNIST); otherwise updates its numbers and colours.
     */
    private void refreshCounts() {
        countsLater.stop();
        int n = vm.labels().size();
        if (cells.size() != n || matrixBuild != null) {
            if (matrixBuild == null || matrixSize != n) {
                buildMatrix(n);
            }
            return;
        }
        Shades shades = shades();
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                paint(cells.get(t).get(p), t, p, shades);
            }
        }
        classes.getItems().setAll(vm.classRows());
    }

    private void repaint(DatasetViewModel.Cell c) {
        if (c != null && matrixBuild == null && c.trueIndex() < cells.size() && c.predicted() < cells.size()) {
            paint(cells.get(c.trueIndex()).get(c.predicted()), c.trueIndex(), c.predicted(), shades());
        }
    }

    /** What a cell's colour is relative to: the largest class and the largest mistake count; the selected cell. */
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

    private void explainSelected() {
        AuditRow r = table.getSelectionModel().getSelectedItem();
        if (r != null) {
            explain(r);
        }
    }

    private void explain(AuditRow row) {
        vm.explain(row).thenAccept(item -> {
            if (owner instanceof Stage s) {
                s.toFront();
            }
        });
    }

    /** A thumbnail decoded on demand; a cell reused for another row ignores the late answer. */
    private final class ThumbnailCell extends TableCell<AuditRow, AuditRow> {
        private final ImageView view = new ImageView();

        ThumbnailCell() {
            view.setFitWidth(40);
            view.setFitHeight(40);
            view.setPreserveRatio(true);
        }

        @Override
        protected void updateItem(AuditRow row, boolean empty) {
            super.updateItem(row, empty);
            view.setImage(null);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            setGraphic(view);
            vm.thumbnail(row).thenAccept(t -> {
                if (row.equals(getItem())) {
                    view.setImage(FxImages.of(t));
                }
            });
        }
    }

    public void show() {
        stage.show();
        if (!reveal.done()) {
            reveal.start();
        }
        stage.toFront();
    }

    public Stage stage() {
        return stage;
    }

    public TableView<AuditRow> table() {
        return table;
    }

    public TableView<DatasetViewModel.ClassRow> classTable() {
        return classes;
    }
}
