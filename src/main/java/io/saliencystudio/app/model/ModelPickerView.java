package io.saliencystudio.app.model;

import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The model picker: packages under {@code models/} with name, classes and input size; "Open model…" for any package
 * folder or bare {@code .pt}; the provenance of the current model; and the device when a GPU is available.
 */
public final class ModelPickerView extends HBox {

    private final ComboBox<ModelPackage> picker = new ComboBox<>();
    private final ComboBox<ComputeDevice> device = new ComboBox<>();
    private final Button open = new Button("Open model…", new FontIcon("mdi2f-folder-open-outline"));
    private final Button about = new Button(null, new FontIcon("mdi2i-information-outline"));
    private boolean syncing;

    public ModelPickerView(ModelViewModel vm, Runnable openModel, Runnable showProvenance) {
        super(6);
        setAlignment(Pos.CENTER_LEFT);
        getStyleClass().add("model-picker");
        Label label = new Label("Model");
        label.getStyleClass().add("muted");
        picker.setId("model-picker");
        picker.setItems(vm.catalog());
        picker.setCellFactory(l -> new PackageCell(true));
        picker.setButtonCell(new PackageCell(false));
        picker.setPrefWidth(360);
        picker.setMinWidth(180);
        label.setMinWidth(Region.USE_PREF_SIZE);
        open.setMinWidth(Region.USE_PREF_SIZE);
        about.setMinWidth(Region.USE_PREF_SIZE);
        HBox.setHgrow(picker, javafx.scene.layout.Priority.SOMETIMES);
        picker.setPromptText("No model loaded");
        picker.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (!syncing && now != null && now != vm.currentProperty().get()) {
                vm.load(now);
            }
        });
        vm.currentProperty().addListener((o, was, now) -> {
            syncing = true;
            try {
                picker.getSelectionModel().select(now);
            } finally {
                syncing = false;
            }
        });
        open.setId("open-model");
        open.setOnAction(e -> openModel.run());
        about.setId("model-provenance");
        about.setTooltip(new Tooltip("Where this model comes from: architecture, data, accuracy, files"));
        about.setOnAction(e -> showProvenance.run());
        about.disableProperty().bind(vm.loadedProperty().isNull());
        device.setId("device-picker");
        device.setItems(vm.devices());
        device.valueProperty().bindBidirectional(vm.deviceProperty());
        device.setTooltip(new Tooltip("Where the model runs. GPU needs the CUDA build of the native library"));
        // With only the CPU there is nothing to choose: the status bar names the device instead.
        device.visibleProperty().bind(Bindings.size(vm.devices()).greaterThan(1));
        device.managedProperty().bind(device.visibleProperty());
        getChildren().addAll(label, picker, about, open, device);
    }

    public ComboBox<ModelPackage> picker() {
        return picker;
    }

    /** "Shapes (synthetic) · 6 classes · 3×96×96 RGB". */
    public static String describe(ModelPackage p) {
        InputSpec in = p.manifest().input();
        String classes = p.labelsKnown() ? p.labels().size() + " classes" : "labels unknown";
        return p.manifest().name() + "  ·  " + classes + "  ·  " + in.channels() + "×" + in.height() + "×" + in.width()
                + (in.colorMode() == InputSpec.ColorMode.GRAY ? " grey" : " RGB");
    }

    private static final class PackageCell extends ListCell<ModelPackage> {
        private final boolean withLocation;

        PackageCell(boolean withLocation) {
            this.withLocation = withLocation;
        }

        @Override
        protected void updateItem(ModelPackage p, boolean empty) {
            super.updateItem(p, empty);
            if (empty || p == null) {
                setText(null);
                setTooltip(null);
                return;
            }
            setText(describe(p));
            setTooltip(withLocation ? new Tooltip(p.manifest().description() + "\n" + p.location()) : null);
        }
    }
}
