package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Method;
import javafx.scene.control.Button;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * One method's column: its {@link MapPanel} (with close and parameter buttons in the title row), its parameter
 * sheet when shown, and its faithfulness metrics under it.
 */
final class MethodColumn extends VBox {

    private final Method method;
    private final MapPanel panel;
    private final MetricsView metrics;
    private final MethodSettingsSheet sheet;
    private final ToggleButton settingsButton;

    MethodColumn(Method method, ExplainViewModel vm, MetricsViewModel metricsVm, DisplaySettings display,
            Viewport viewport) {
        super(4);
        this.method = method;
        getStyleClass().add("method-column");
        setId("column-" + method.id());
        panel = new MapPanel(method.displayName(), method, display, viewport);
        panel.setOnCancel(() -> vm.cancelMethod(method));
        VBox.setVgrow(panel, Priority.ALWAYS);
        metrics = new MetricsView(method, metricsVm);
        if (MethodSettingsSheet.hasSettings(method)) {
            sheet = new MethodSettingsSheet(method, vm);
            sheet.setPrefHeight(150);
            sheet.setMinHeight(100);
            sheet.setVisible(false);
            sheet.setManaged(false);
            settingsButton = new ToggleButton(null, new FontIcon("mdi2t-tune-variant"));
            settingsButton.setId("settings-button-" + method.id());
            settingsButton.getStyleClass().addAll("button-icon", "flat");
            settingsButton.setTooltip(new Tooltip(method.displayName() + " parameters"));
            sheet.visibleProperty().bind(settingsButton.selectedProperty());
            sheet.managedProperty().bind(settingsButton.selectedProperty());
            panel.headerTools().getChildren().add(settingsButton);
        } else {
            sheet = null;
            settingsButton = null;
        }
        Button close = new Button(null, new FontIcon("mdi2c-close"));
        close.setId("close-" + method.id());
        close.getStyleClass().addAll("button-icon", "flat");
        close.setTooltip(new Tooltip("Remove the " + method.displayName() + " panel"));
        close.setOnAction(e -> vm.removeMethod(method));
        panel.headerTools().getChildren().add(close);
        getChildren().add(panel);
        if (sheet != null) {
            getChildren().add(sheet);
        }
        getChildren().add(metrics);
        setMinWidth(200);
    }

    Method method() {
        return method;
    }

    MapPanel panel() {
        return panel;
    }

    MetricsView metrics() {
        return metrics;
    }

    /** The parameter sheet, or {@code null} for methods without parameters. */
    MethodSettingsSheet sheet() {
        return sheet;
    }

    /** Shows or hides the parameter sheet. */
    void showSettings(boolean on) {
        if (settingsButton != null) {
            settingsButton.setSelected(on);
        }
    }
}
