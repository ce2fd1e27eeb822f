package io.saliencystudio.app.images;

import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Prediction;
import java.util.Locale;
import javafx.beans.InvalidationListener;
import javafx.geometry.Pos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.control.TextField;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The image list: preview, file name, and the model's prediction with its confidence (and a tick or cross when a
 * {@code labels.csv} gives the truth). Up/down move through it; Delete removes the selected rows.
 */
public final class ImageListView extends VBox {

    private final ImageListViewModel vm;
    private final ListView<ImageItem> list = new ListView<>();
    private final Label count = new Label();
    private final TextField note = new TextField();
    private boolean syncing;

    public ImageListView(ImageListViewModel vm) {
        this.vm = vm;
        getStyleClass().add("image-list");
        Label title = new Label("Images");
        title.getStyleClass().add("section-title");
        count.getStyleClass().add("muted");
        HBox head = new HBox(6, title, count);
        head.setAlignment(Pos.BASELINE_LEFT);
        list.setId("images");
        list.setItems(vm.items());
        list.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        list.setCellFactory(l -> new ItemCell());
        list.setFixedCellSize(64);
        Label placeholder = new Label("Drop images or folders here\n(or File > Open images…, or paste)");
        placeholder.getStyleClass().add("muted");
        placeholder.setWrapText(true);
        list.setPlaceholder(placeholder);
        VBox.setVgrow(list, Priority.ALWAYS);
        list.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (!syncing && now != null) {
                vm.selectedProperty().set(now);
            }
        });
        vm.selectedProperty().addListener((o, was, now) -> {
            syncing = true;
            try {
                if (now == null) {
                    list.getSelectionModel().clearSelection();
                } else if (list.getSelectionModel().getSelectedItem() != now) {
                    list.getSelectionModel().clearAndSelect(list.getItems().indexOf(now));
                    list.scrollTo(now);
                }
            } finally {
                syncing = false;
            }
        });
        vm.items().addListener((InvalidationListener) o -> count.setText("(" + vm.items().size() + ")"));
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                vm.remove(list.getSelectionModel().getSelectedItems());
                e.consume();
            }
        });
        MenuItem remove = new MenuItem("Remove from list");
        remove.setOnAction(e -> vm.remove(list.getSelectionModel().getSelectedItems()));
        MenuItem clear = new MenuItem("Clear list");
        clear.setOnAction(e -> vm.clear());
        MenuItem predict = new MenuItem("Predict all again");
        predict.setOnAction(e -> vm.predictAll());
        list.setContextMenu(new ContextMenu(remove, clear, predict));
        note.setId("image-note");
        note.setPromptText("Note on this image…");
        note.setTooltip(new Tooltip("A note on the selected image; kept with the session"));
        note.disableProperty().bind(vm.selectedProperty().isNull());
        bindNote(null, vm.selected());
        vm.selectedProperty().addListener((o, was, now) -> bindNote(was, now));
        getChildren().addAll(head, list, note);
        setSpacing(6);
        setMinWidth(140);
        placeholder.setMaxWidth(200);
    }

    /** The note field edits the selected image's note (and nothing while none is selected). */
    private void bindNote(ImageItem was, ImageItem now) {
        if (was != null) {
            note.textProperty().unbindBidirectional(was.noteProperty());
        }
        if (now != null) {
            note.textProperty().bindBidirectional(now.noteProperty());
        } else {
            note.setText("");
        }
    }

    public TextField note() {
        return note;
    }

    public ListView<ImageItem> list() {
        return list;
    }

    private static final class ItemCell extends ListCell<ImageItem> {
        private final ImageView thumb = new ImageView();
        private final Label name = new Label();
        private final Label detail = new Label();
        private final HBox row;
        private ImageItem bound;
        private final InvalidationListener refresh = o -> fill();

        ItemCell() {
            setPrefWidth(0);
            thumb.setFitWidth(48);
            thumb.setFitHeight(48);
            thumb.setPreserveRatio(true);
            StackPane frame = new StackPane(thumb);
            frame.getStyleClass().add("thumb-frame");
            frame.setMinSize(52, 52);
            frame.setMaxSize(52, 52);
            name.getStyleClass().add("image-name");
            name.setMinWidth(0);
            detail.setMinWidth(0);
            detail.getStyleClass().add("image-detail");
            VBox text = new VBox(2, name, detail);
            text.setAlignment(Pos.CENTER_LEFT);
            text.setMinWidth(0);
            HBox.setHgrow(text, Priority.ALWAYS);
            row = new HBox(8, frame, text);
            row.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(ImageItem item, boolean empty) {
            super.updateItem(item, empty);
            if (bound != null) {
                bound.thumbnailProperty().removeListener(refresh);
                bound.predictionProperty().removeListener(refresh);
                bound.errorProperty().removeListener(refresh);
            }
            bound = empty ? null : item;
            if (bound == null) {
                setGraphic(null);
                setTooltip(null);
                return;
            }
            bound.thumbnailProperty().addListener(refresh);
            bound.predictionProperty().addListener(refresh);
            bound.errorProperty().addListener(refresh);
            fill();
            setGraphic(row);
        }

        private void fill() {
            ImageItem item = bound;
            if (item == null) {
                return;
            }
            name.setText(item.name());
            thumb.setImage(item.thumbnailProperty().get());
            detail.getStyleClass().removeAll("error", "ok", "bad");
            detail.setGraphic(null);
            if (item.failed()) {
                detail.setText("cannot read");
                detail.getStyleClass().add("error");
                detail.setGraphic(new FontIcon("mdi2a-alert-circle-outline"));
                setTooltip(new Tooltip(item.errorProperty().get()));
                return;
            }
            setTooltip(new Tooltip(item.source().path().toString()));
            Prediction p = item.prediction();
            if (p == null) {
                detail.setText("…");
                return;
            }
            ClassScore top = p.score(p.top1());
            String text = String.format(Locale.ROOT, "%s  %.1f%%", top.label(), top.probability() * 100);
            if (item.truth() != null && item.truth().appliesTo(p.numClasses(), i -> p.score(i).label())) {
                boolean ok = item.truth().matches(top.label());
                detail.getStyleClass().add(ok ? "ok" : "bad");
                text += ok ? "  ✓" : "  ✗ " + item.truth().label();
            }
            detail.setText(text);
        }
    }
}
