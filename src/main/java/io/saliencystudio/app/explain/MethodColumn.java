package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Method;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PopOver;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * What belongs to one method's panel: the {@link MapPanel} (with parameter and close buttons in its title row), its
 * metrics in the panel's bottom slot, and its parameter sheet in a pop-over, so every panel keeps the same size and
 * the maps line up.
 */
final class MethodColumn {

    private final Method method;
    private final MapPanel panel;
    private final MetricsView metrics;
    private final MethodSettingsSheet sheet;
    private PopOver popOver;

    MethodColumn(Method method, ExplainViewModel vm, MetricsViewModel metricsVm, DisplaySettings display,
            Viewport viewport) {
        this.method = method;
        panel = new MapPanel(method.displayName(), method, display, viewport);
        panel.setOnCancel(() -> vm.cancelMethod(method));
        metrics = new MetricsView(method, metricsVm);
        panel.setExtra(metrics);
        if (MethodSettingsSheet.hasSettings(method)) {
            sheet = new MethodSettingsSheet(method, vm);
            sheet.setPrefSize(280, 170);
            Button tune = new Button(null, new FontIcon("mdi2t-tune-variant"));
            tune.setId("settings-button-" + method.id());
            tune.getStyleClass().addAll("button-icon", "flat");
            tune.setTooltip(new Tooltip(method.displayName() + " parameters"));
            tune.setOnAction(e -> {
                if (popOver == null) {
                    popOver = new PopOver(new VBox(sheet));
                    popOver.setTitle(method.displayName());
                    popOver.setHeaderAlwaysVisible(true);
                    popOver.setArrowLocation(PopOver.ArrowLocation.TOP_RIGHT);
                    popOver.setDetachable(false);
                }
                if (popOver.isShowing()) {
                    popOver.hide();
                } else {
                    popOver.show(tune);
                }
            });
            panel.headerTools().getChildren().add(tune);
        } else {
            sheet = null;
        }
        Button close = new Button(null, new FontIcon("mdi2c-close"));
        close.setId("close-" + method.id());
        close.getStyleClass().addAll("button-icon", "flat");
        close.setTooltip(new Tooltip("Remove the " + method.displayName() + " panel"));
        close.setOnAction(e -> {
            if (popOver != null) {
                popOver.hide();
            }
            vm.removeMethod(method);
        });
        panel.headerTools().getChildren().add(close);
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
}
