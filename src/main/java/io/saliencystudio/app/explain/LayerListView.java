package io.saliencystudio.app.explain;

import io.saliencystudio.engine.model.LayerTap;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The layers Grad-CAM can read, in graph order, with their module paths and output shapes. The model's default layer
 * is preselected; {@code [} and {@code ]} anywhere in the window step through the list.
 */
public final class LayerListView extends VBox {

    private final ExplainViewModel vm;
    private final ListView<LayerTap> list = new ListView<>();
    private boolean syncing;

    public LayerListView(ExplainViewModel vm) {
        this.vm = vm;
        getStyleClass().add("side-section");
        Label title = new Label("Layer");
        title.getStyleClass().add("section-title");
        Label hint = new Label("[ and ] to scrub");
        hint.getStyleClass().add("muted");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox head = new HBox(6, title, spacer, hint);
        head.setAlignment(Pos.BASELINE_LEFT);
        list.setId("layers");
        list.setItems(vm.layers());
        list.setCellFactory(l -> new TapCell());
        list.setFixedCellSize(30);
        list.setMinHeight(60);
        list.setPlaceholder(new Label("No layer taps: Grad-CAM unavailable"));
        list.getStyleClass().add("dense-list");
        VBox.setVgrow(list, Priority.ALWAYS);
        list.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (!syncing && now != null) {
                vm.selectLayer(now);
            }
        });
        vm.layerProperty().addListener((o, was, now) -> sync(now));
        vm.layers().addListener((javafx.collections.ListChangeListener<LayerTap>) c -> sync(vm.layer()));
        sync(vm.layer());
        // Keep the chosen layer in view once the list knows its real height.
        list.heightProperty().addListener(o -> javafx.application.Platform.runLater(this::reveal));
        getChildren().addAll(head, list);
        setSpacing(6);
    }

    private void sync(LayerTap tap) {
        syncing = true;
        try {
            if (tap == null) {
                list.getSelectionModel().clearSelection();
            } else {
                list.getSelectionModel().select(tap);
                javafx.application.Platform.runLater(this::reveal);
            }
        } finally {
            syncing = false;
        }
    }

    /** Scrolls so the selected layer is the fourth visible row (or as close as the list's ends allow). */
    private void reveal() {
        int row = list.getSelectionModel().getSelectedIndex();
        if (row >= 0) {
            // Lay out first: right after the items change the list's flow still counts the old rows.
            list.layout();
            list.scrollTo(Math.max(0, row - 3));
        }
    }

    public ListView<LayerTap> list() {
        return list;
    }

    private static final class TapCell extends ListCell<LayerTap> {
        private final Label name = new Label();
        private final Label aliases = new Label();
        private final Label shape = new Label();
        private final HBox row;

        TapCell() {
            setPrefWidth(0);
            name.getStyleClass().add("layer-name");
            aliases.getStyleClass().add("muted");
            aliases.setMinWidth(0);
            shape.getStyleClass().addAll("muted", "layer-shape");
            shape.setMinWidth(Region.USE_PREF_SIZE);
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            row = new HBox(6, name, aliases, spacer, shape);
            row.setAlignment(Pos.CENTER_LEFT);
        }

        @Override
        protected void updateItem(LayerTap tap, boolean empty) {
            super.updateItem(tap, empty);
            if (empty || tap == null) {
                setDisable(false);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            name.setText(tap.displayName());
            List<String> others = tap.names().subList(0, tap.names().size() - 1);
            aliases.setText(others.isEmpty() ? "" : "= " + String.join(", ", others));
            shape.setText(tap.shapeText().replace("x", "×").replace("->", "→"));
            setGraphic(row);
            setDisable(!tap.spatial());
            String reason = tap.spatial() ? "" : "\nNot for layer methods: " + tap.layout().unavailableReason();
            setTooltip(new javafx.scene.control.Tooltip(
                    String.join("\n", tap.names()) + "\noutput " + tap.shapeText() + reason));
        }
    }
}
