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
    /** The image table and the per-class table: made in the opening's steps, null until then. */
    private TableView<AuditRow> table;
    private TableView<DatasetViewModel.ClassRow> classes;
    private final ConfusionMatrixView matrix;
    private final OnePerPulse reveal;
    /** The table's row height: one 40 px thumbnail and its padding. */
    private static final double ROW_HEIGHT = 46;
    /** How many rows the tables may add per pulse while their first rows arrive ({@link FirstRows}). */
    private static final int FIRST_ROWS = 2;
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
        this.matrix = new ConfusionMatrixView(vm, this::refreshCounts);
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
        // The tables are capped in height while their first rows arrive (FirstRows); a VBox keeps them at the top.
        VBox left = new VBox();
        SplitPane split = new SplitPane(new Label("Listing the data set…"), new VBox());
        split.setDividerPositions(0.5);
        BorderPane root = new BorderPane(split);
        root.setTop(top);
        BorderPane.setMargin(top, new Insets(6));
        // The window shows with its progress line; each heavy part (the tables, their skins, the filter line, each
        // column, the matrix) is made or joins the scene in a pulse of its own: the first use of each control's
        // classes and CSS costs tens of ms on the FX thread, 100-130 ms when all were built in the frame of the click,
        // and making the two tables and the columns alone 20-40 ms of that frame (measured).
        List<Runnable> steps = new ArrayList<>();
        steps.add(this::buildTable);
        // A table's skin (header row, flow, scroll bars) is made in one pulse and styled in the next, when it joins.
        steps.add(() -> table.setSkin(new TableViewSkin<>(table)));
        steps.add(() -> top.getChildren().add(filterLine(evaluateSelection, exportGrid)));
        steps.add(() -> {
            left.getChildren().add(table);
            VBox.setVgrow(table, Priority.ALWAYS);
            split.getItems().set(0, left);
        });
        List<TableColumn<AuditRow, ?>> columns = new ArrayList<>();
        steps.add(() -> {
            columns.addAll(columns());
            if (columns.size() != COLUMNS) {
                throw new IllegalStateException("COLUMNS says " + COLUMNS + ", columns() made " + columns.size());
            }
        });
        for (int c = 0; c < COLUMNS; c++) {
            int column = c;
            steps.add(() -> table.getColumns().add(columns.get(column)));
        }
        steps.add(() -> {
            Label matrixTitle = new Label("Confusion (rows: true, columns: predicted). Click a cell to filter.");
            matrixTitle.setWrapText(true);
            right.getChildren().addAll(matrixTitle, matrix.node());
            split.getItems().set(1, right);
        });
        steps.add(() -> {
            buildClassTable();
            classes.setSkin(new TableViewSkin<>(classes));
        });
        steps.add(() -> {
            VBox.setVgrow(classes, Priority.ALWAYS);
            right.getChildren().addAll(new Label("Per class"), classes);
        });
        // Its rows (10 x 5 cells for Fashion-MNIST) after its skin's first CSS pass: both in one pulse cost 112 ms.
        steps.add(() -> classes.getItems().setAll(vm.classRows()));
        reveal = new OnePerPulse(steps);
        // Counts follow new rows at most every COUNTS_EVERY (a batch of 64 arrives ~17 times a second; restyling the
        // matrix's changed cells for each cost a frame its budget), at once when the user clicks or the audit ends.
        countsLater.setOnFinished(e -> refreshCounts());
        vm.revisionProperty().addListener((o, a, b) -> {
            if (vm.runningProperty().get() && matrix.complete()) {
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
            matrix.repaint(a);
            matrix.repaint(b);
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
        var none = table.getSelectionModel().selectedItemProperty().isNull();
        Button explain = new Button("Explain in main window");
        explain.setId("dataset-explain");
        explain.disableProperty().bind(none);
        explain.setOnAction(e -> explainSelected());
        Button grid = new Button("Export grid…");
        grid.setId("dataset-export-grid");
        grid.setTooltip(new Tooltip("The selected rows (Ctrl/Shift-click for several) as a figure grid, through the main "
                + "window's export: the images are added to its list"));
        grid.disableProperty().bind(none);
        grid.setOnAction(e -> exportGrid.accept(List.copyOf(table.getSelectionModel().getSelectedItems())));
        Label count = new Label();
        count.setId("dataset-count");
        count.textProperty().bind(javafx.beans.binding.Bindings.size(vm.shown()).asString("%d shown"));
        HBox filters = new HBox(8, only, first, filter, explain, grid, count);
        if (evaluateSelection != null) {
            addEvaluateSelection(filters, evaluateSelection, none);
        }
        filters.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(filter, Priority.SOMETIMES);
        return filters;
    }

    /** "Evaluate selection…" as a button beside Export grid and in the table's context menu, with ≥1 row selected. */
    private void addEvaluateSelection(HBox filters, Consumer<List<AuditRow>> evaluate,
            javafx.beans.value.ObservableBooleanValue none) {
        Runnable run = () -> evaluate.accept(List.copyOf(table.getSelectionModel().getSelectedItems()));
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

    /** How many {@link #columns()} there are: the opening adds one per pulse. */
    private static final int COLUMNS = 6;

    /**
     * The table's columns ({@link #COLUMNS} of them); they join the table a pulse each ({@code reveal}): each header's first CSS pass is a few ms,
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
        table = new TableView<>();
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
        FirstRows.grow(table, FIRST_ROWS);
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

    private static <T> TableColumn<AuditRow, T> column(String title, double width, Function<AuditRow, T> value) {
        TableColumn<AuditRow, T> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        return c;
    }

    private void buildClassTable() {
        classes = new TableView<>();
        classes.setId("dataset-classes");
        classes.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        classes.setFixedCellSize(24); // text rows: no per-cell height measurement when the table is attached
        FirstRows.grow(classes, FIRST_ROWS);
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

    /** The counts and colours of the matrix and the per-class figures; the matrix first, when the classes changed. */
    private void refreshCounts() {
        countsLater.stop();
        if (matrix.refresh() && classes != null) {
            classes.getItems().setAll(vm.classRows());
        }
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

    /**
     * Whether the window has made all its parts, laid out the matrix for the open data set's classes and let its
     * tables' first rows in ({@link FirstRows} caps their height until then).
     */
    public boolean ready() {
        // The opening's last step fills the per-class table: done, both tables are made and in the scene.
        return reveal.done() && matrix.complete() && table.getMaxHeight() == Double.MAX_VALUE
                && classes.getMaxHeight() == Double.MAX_VALUE;
    }

    public Stage stage() {
        return stage;
    }

    /** The image table; null until the opening's first pulse after {@link #show} has made it. */
    public TableView<AuditRow> table() {
        return table;
    }

    /** The per-class table; null until the opening's steps have made it. */
    public TableView<DatasetViewModel.ClassRow> classTable() {
        return classes;
    }
}
