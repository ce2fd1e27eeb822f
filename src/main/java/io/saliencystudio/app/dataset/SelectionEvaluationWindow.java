package io.saliencystudio.app.dataset;

import io.saliencystudio.app.dialog.DialogService;
import io.saliencystudio.engine.Failures;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.metrics.FaithfulnessSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The results of "Evaluate selection": the methods to evaluate, progress and Cancel, and a table of method x metric
 * with mean ± standard deviation, median [IQR], range and n, each metric saying which direction is better; the
 * images that failed, and Copy / Export CSV. Thin: the numbers come from {@link SelectionEvaluationViewModel}.
 */
public final class SelectionEvaluationWindow {

    private final SelectionEvaluationViewModel vm;
    private final DialogService dialogs;
    private final Executor io;
    private final Supplier<Path> initialDirectory;
    private final Stage stage = new Stage();
    private final TableView<FaithfulnessSummary.Line> table = new TableView<>();
    private final FlowPane methodChoice = new FlowPane(10, 4);
    private final Label saved = new Label();

    /** @param initialDirectory where the CSV file chooser starts ({@code null}: the platform's choice) */
    public SelectionEvaluationWindow(SelectionEvaluationViewModel vm, Window owner, DialogService dialogs, Executor io,
            Supplier<Path> initialDirectory) {
        this.vm = vm;
        this.dialogs = dialogs;
        this.io = io;
        this.initialDirectory = initialDirectory;
        stage.initOwner(owner);
        stage.setTitle("Evaluate selection");

        methodChoice.setPrefWrapLength(720); // 15 methods in two or three lines, leaving the table its height
        Button again = new Button("Evaluate again");
        again.setId("selection-eval-again");
        again.setTooltip(new Tooltip("The same images with the methods ticked now"));
        again.setOnAction(e -> vm.evaluateAgain());
        HBox methods = new HBox(8, new Label("Methods:"), methodChoice, again);
        methods.setAlignment(Pos.CENTER_LEFT);
        Label caption = new Label();
        caption.setId("selection-eval-caption");
        caption.setWrapText(true);
        caption.textProperty().bind(vm.captionProperty());
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(200);
        bar.progressProperty().bind(vm.progressProperty());
        Button cancel = new Button("Cancel");
        cancel.setId("selection-eval-cancel");
        cancel.disableProperty().bind(vm.runningProperty().not());
        cancel.setOnAction(e -> vm.cancel());
        Label status = new Label();
        status.setId("selection-eval-status");
        status.textProperty().bind(vm.messageProperty());
        HBox progress = new HBox(8, bar, cancel, status);
        progress.setAlignment(Pos.CENTER_LEFT);

        buildTable();
        Label failures = new Label();
        failures.setId("selection-eval-failures");
        failures.setWrapText(true);
        vm.failures().addListener((ListChangeListener<FaithfulnessSummary.Failure>) c -> failures.setText(
                failureText(vm.failures())));
        Label note = new Label("Mean ± sample standard deviation over the images, the median with the interquartile "
                + "range [Q1, Q3], and the range. A wide spread means the images disagree: compare methods with it.");
        note.setWrapText(true);
        Button copy = new Button("Copy CSV");
        copy.setId("selection-eval-copy");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(vm.csv());
            Clipboard.getSystemClipboard().setContent(content);
            saved.setText("Copied the table as CSV.");
        });
        Button export = new Button("Export CSV…");
        export.setId("selection-eval-export");
        export.setOnAction(e -> exportCsv());
        copy.disableProperty().bind(javafx.beans.binding.Bindings.isEmpty(vm.lines()));
        export.disableProperty().bind(copy.disableProperty());
        saved.setId("selection-eval-saved");
        HBox buttons = new HBox(8, copy, export, saved);
        buttons.setAlignment(Pos.CENTER_LEFT);

        BorderPane root = new BorderPane(table);
        root.setTop(new VBox(6, methods, caption, progress));
        root.setBottom(new VBox(6, failures, note, buttons));
        BorderPane.setMargin(root.getTop(), new Insets(8));
        BorderPane.setMargin(root.getBottom(), new Insets(8));
        // Tall enough for two methods' eight lines under the method choice, without scrolling.
        stage.setScene(new Scene(root, 1000, 660));
    }

    /** Evaluates {@code rows} with the ticked methods and shows the window. */
    public void evaluate(List<AuditRow> rows) {
        refreshMethods();
        vm.evaluate(rows);
        saved.setText("");
        stage.show();
        stage.toFront();
    }

    private void refreshMethods() {
        methodChoice.getChildren().clear();
        for (Method m : vm.available()) {
            CheckBox box = new CheckBox(m.displayName());
            box.setId("selection-eval-method-" + m.id());
            box.setSelected(vm.methods().contains(m));
            box.selectedProperty().addListener((o, was, on) -> {
                if (on) {
                    vm.methods().add(m);
                } else {
                    vm.methods().remove(m);
                }
            });
            methodChoice.getChildren().add(box);
        }
    }

    private void buildTable() {
        table.setId("selection-eval-table");
        table.setItems(vm.lines());
        table.setPlaceholder(new Label("No results yet"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY);
        table.getColumns().add(column("Method", 110, l -> l.method().displayName()));
        table.getColumns().add(column("Metric", 185, l -> l.metric().displayName()));
        table.getColumns().add(column("Better", 110, l -> l.metric().better()));
        table.getColumns().add(column("Mean ± sd", 150, l -> SelectionEvaluationViewModel.meanText(l.spread())));
        table.getColumns().add(column("Median [IQR]", 190, l -> SelectionEvaluationViewModel.medianText(l.spread())));
        table.getColumns().add(column("Range", 140, l -> SelectionEvaluationViewModel.rangeText(l.spread())));
        table.getColumns().add(column("n", 40, l -> Integer.toString(l.spread().n())));
    }

    private static TableColumn<FaithfulnessSummary.Line, String> column(String title, double width,
            Function<FaithfulnessSummary.Line, String> value) {
        TableColumn<FaithfulnessSummary.Line, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setSortable(false);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(value.apply(f.getValue())));
        return c;
    }

    static String failureText(List<FaithfulnessSummary.Failure> failures) {
        if (failures.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "Not evaluated (%d): ", failures.size()));
        for (int i = 0; i < failures.size() && i < 5; i++) {
            FaithfulnessSummary.Failure f = failures.get(i);
            b.append(i == 0 ? "" : "; ").append(f.image()).append(f.method() == null ? "" : " (" + f.method().displayName()
                    + ")").append(": ").append(f.reason());
        }
        return b.append(failures.size() > 5 ? "; … (all of them in the CSV)" : "").toString();
    }

    /** Export CSV…: asks for a file, and before replacing one that exists; writes off the UI thread. */
    private void exportCsv() {
        var answer = dialogs.saveFile(new DialogService.FileQuestion("Export the evaluation as CSV",
                List.of(new DialogService.FileFilter("CSV", "*.csv")), initialDirectory.get(), "evaluation.csv"));
        if (answer.isEmpty()) {
            return;
        }
        Path chosen = answer.get().file();
        Path file = chosen.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".csv") ? chosen
                : chosen.resolveSibling(chosen.getFileName() + ".csv");
        if (Files.exists(file) && !dialogs.confirm("Replace existing file?", "Replace " + file.getFileName() + "?",
                file.getFileName() + " already exists. Replace it?", "Yes", "No")) {
            saved.setText("Export cancelled: " + file.getFileName() + " was left as it was.");
            return;
        }
        vm.writeCsv(file, io).whenComplete((f, error) -> saved.setText(error == null ? "Saved " + f
                : "Could not save " + file.getFileName() + ": " + Failures.message(error)));
    }

    public Stage stage() {
        return stage;
    }

    public TableView<FaithfulnessSummary.Line> table() {
        return table;
    }
}
