package io.saliencystudio.app.explain;

import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.ClassScore;
import java.util.Locale;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.controlsfx.control.textfield.TextFields;

/**
 * The class to explain, in two columns: the top-5 with probability bars (one click explains that class), and a
 * searchable list of every label for any other class. The explained class is highlighted in both.
 */
public final class ClassChooserView extends HBox {

    private final ExplainViewModel vm;
    private final ListView<ClassScore> top = new ListView<>();
    private final ListView<ClassScore> all = new ListView<>();
    private final TextField search = TextFields.createClearableTextField();
    private boolean syncing;

    public ClassChooserView(ExplainViewModel vm) {
        this.vm = vm;
        Label title = new Label("Top 5");
        title.getStyleClass().add("section-title");
        Label hint = new Label("click to explain");
        hint.getStyleClass().add("muted");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox head = new HBox(6, title, spacer, hint);
        head.setAlignment(Pos.BASELINE_LEFT);
        Label allTitle = new Label("All classes");
        allTitle.getStyleClass().add("section-title");

        top.setId("top-classes");
        top.setItems(vm.topClasses());
        top.setCellFactory(l -> new ScoreCell(true));
        top.setFixedCellSize(30);
        top.setPrefHeight(30 * ExplainViewModel.TOP_K + 4);
        top.setMinHeight(30 * 3 + 4);
        top.setPlaceholder(new Label("No prediction yet"));
        top.getStyleClass().add("dense-list");

        FilteredList<ClassScore> filtered = new FilteredList<>(vm.allClasses());
        search.setId("class-search");
        search.setPromptText("Search by name or index…");
        search.textProperty().addListener((o, was, now) -> {
            String q = now == null ? "" : now.strip().toLowerCase(Locale.ROOT);
            filtered.setPredicate(q.isEmpty() ? null : s -> s.label().toLowerCase(Locale.ROOT).contains(q)
                    || Integer.toString(s.index()).equals(q));
        });
        all.setId("all-classes");
        all.setItems(filtered);
        all.setCellFactory(l -> new ScoreCell(false));
        all.setFixedCellSize(30);
        all.setMinHeight(60);
        all.setPlaceholder(new Label("No class matches"));
        all.getStyleClass().add("dense-list");
        VBox.setVgrow(all, Priority.ALWAYS);

        top.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> choose(now));
        all.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> choose(now));
        vm.outcomeProperty().addListener((o, was, now) -> sync(now));
        vm.topClasses().addListener((javafx.collections.ListChangeListener<ClassScore>) c -> sync(vm.outcome()));
        VBox left = new VBox(6, head, top);
        VBox right = new VBox(6, allTitle, search, all);
        left.getStyleClass().add("side-section");
        right.getStyleClass().add("side-section");
        left.setPrefWidth(300);
        left.setMinWidth(200);
        right.setPrefWidth(260);
        right.setMinWidth(160);
        HBox.setHgrow(left, Priority.ALWAYS);
        HBox.setHgrow(right, Priority.ALWAYS);
        getChildren().addAll(left, right);
        all.heightProperty().addListener(o -> javafx.application.Platform.runLater(() -> {
            int row = all.getSelectionModel().getSelectedIndex();
            if (row >= 0) {
                all.scrollTo(Math.max(0, row - 2));
            }
        }));
    }

    private void choose(ClassScore s) {
        if (!syncing && s != null) {
            vm.selectClass(s.index());
        }
    }

    /** Highlights the explained class without triggering another request. */
    private void sync(ExplainOutcome out) {
        syncing = true;
        try {
            int idx = out == null ? -1 : out.target().index();
            select(top, idx);
            select(all, idx);
        } finally {
            syncing = false;
        }
    }

    private static void select(ListView<ClassScore> list, int index) {
        for (int i = 0; i < list.getItems().size(); i++) {
            if (list.getItems().get(i).index() == index) {
                list.getSelectionModel().select(i);
                int row = i;
                // After the list has its new rows and height, so the row really ends up in view.
                javafx.application.Platform.runLater(() -> {
                    list.layout();
                    list.scrollTo(Math.max(0, row - 2));
                });
                return;
            }
        }
        list.getSelectionModel().clearSelection();
    }

    public ListView<ClassScore> topList() {
        return top;
    }

    public ListView<ClassScore> allList() {
        return all;
    }

    public TextField searchField() {
        return search;
    }

    /** A class with its probability; the top list draws a bar. */
    private static final class ScoreCell extends ListCell<ClassScore> {
        private final Label name = new Label();
        private final Label percent = new Label();
        private final ProgressBar bar = new ProgressBar();
        private final HBox row;

        ScoreCell(boolean withBar) {
            // Never wider than the list: long labels are cut with an ellipsis instead of a horizontal scroll bar.
            setPrefWidth(0);
            name.setMinWidth(0);
            name.setMaxWidth(Double.MAX_VALUE);
            HBox.setHgrow(name, Priority.ALWAYS);
            percent.getStyleClass().add("percent");
            percent.setMinWidth(52);
            percent.setAlignment(Pos.CENTER_RIGHT);
            bar.setPrefWidth(70);
            bar.getStyleClass().add("prob-bar");
            row = withBar ? new HBox(6, name, new StackPane(bar), percent) : new HBox(6, name, percent);
            row.setAlignment(Pos.CENTER_LEFT);
            setText(null);
        }

        @Override
        protected void updateItem(ClassScore s, boolean empty) {
            super.updateItem(s, empty);
            if (empty || s == null) {
                setGraphic(null);
                return;
            }
            name.setText(s.label());
            percent.setText(formatProbability(s.probability()));
            bar.setProgress(s.probability());
            setGraphic(row);
        }
    }

    static String formatProbability(double p) {
        if (p >= 0.001) {
            return String.format(Locale.ROOT, "%.1f%%", p * 100);
        }
        return p == 0 ? "0%" : "<0.1%";
    }
}
