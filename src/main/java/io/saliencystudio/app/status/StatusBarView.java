package io.saliencystudio.app.status;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.javafx.FontIcon;

/** Message, progress and cancel for running work; timing of the last explanation; the device. */
public final class StatusBarView extends HBox {

    private final Label message = new Label();
    private final ProgressBar progress = new ProgressBar();
    private final Button cancel = new Button("Cancel", new FontIcon("mdi2c-close-circle-outline"));
    private final Label timing = new Label();
    private final Label device = new Label();

    public StatusBarView(StatusViewModel vm) {
        super(8);
        getStyleClass().add("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        message.setId("status-message");
        message.textProperty().bind(vm.messageProperty());
        message.setMinWidth(0);
        progress.setId("status-progress");
        progress.setPrefWidth(160);
        progress.progressProperty().bind(vm.progressProperty());
        progress.visibleProperty().bind(vm.workingProperty());
        cancel.setId("status-cancel");
        cancel.getStyleClass().add("small");
        cancel.setTooltip(new Tooltip("Stop the running explanation and predictions (Esc)"));
        cancel.visibleProperty().bind(vm.cancellableProperty());
        cancel.managedProperty().bind(cancel.visibleProperty());
        cancel.setOnAction(e -> vm.cancel());
        timing.setId("status-timing");
        timing.textProperty().bind(vm.timingProperty());
        device.setId("status-device");
        device.textProperty().bind(vm.deviceProperty());
        device.setGraphic(new FontIcon("mdi2c-chip"));
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        getChildren().addAll(message, progress, cancel, spacer, timing,
                new Separator(javafx.geometry.Orientation.VERTICAL), device);
    }

    public Label messageLabel() {
        return message;
    }

    public Button cancelButton() {
        return cancel;
    }

    public Label timingLabel() {
        return timing;
    }
}
