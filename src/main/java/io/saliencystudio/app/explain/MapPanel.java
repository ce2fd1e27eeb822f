package io.saliencystudio.app.explain;

import io.saliencystudio.app.FxImages;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.render.Colormap;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * One of the three panels: a title, the image the model saw (with this method's heatmap over it), a readout of the
 * value under the mouse, an opacity slider and a colour bar with the map's raw range. Opacity is the overlay node's
 * opacity and a colormap change re-renders from the float map held here: neither asks the engine for anything.
 */
public final class MapPanel extends VBox {

    /** Height of the slot under the colour bar (metrics), the same in every panel. */
    static final double EXTRA_HEIGHT = 64;

    private final Method method;
    private final DisplaySettings display;
    private final Viewport viewport;
    private final ImageStage stage;
    private final Label title = new Label();
    private final Label readout = new Label(" ");
    private final Label message = new Label();
    private final ProgressIndicator spinner = new ProgressIndicator();
    private final Slider opacity = new Slider(0, 100, 60);
    private final Label opacityValue = new Label();
    private final ColorBarLegend legend = new ColorBarLegend();
    private final HBox headerTools = new HBox(2);
    private final ProgressOverlay progress;
    private final StackPane extra = new StackPane(); // same height in every panel, so the maps line up
    private String captionText = " ";
    private MapScaling.Range shared; // the range all panels share, or null for this map's own
    private RgbImage seen;
    private Heatmap map;
    private float[] scaled; // the map's values under the current scaling, computed once per map

    /** @param method the map this panel overlays, or {@code null} for the plain image */
    public MapPanel(String titleText, Method method, DisplaySettings display, Viewport viewport) {
        this.method = method;
        this.display = display;
        this.viewport = viewport;
        this.stage = new ImageStage(viewport);
        getStyleClass().add("map-panel");
        setId(method == null ? "panel-original" : "panel-" + method.id());
        title.setText(titleText);
        title.getStyleClass().add("panel-title");
        title.setTooltip(new Tooltip(MethodInfo.tooltip(method)));
        readout.getStyleClass().add("panel-readout");
        readout.setMinWidth(0);
        message.getStyleClass().add("panel-message");
        message.setWrapText(true);
        message.setVisible(false);
        message.setMaxWidth(260);
        spinner.setMaxSize(28, 28);
        spinner.setVisible(false);
        spinner.setMouseTransparent(true);
        StackPane.setAlignment(spinner, Pos.TOP_RIGHT);
        message.setMouseTransparent(true);
        progress = new ProgressOverlay(method == null ? null : "cancel-" + method.id());
        StackPane.setAlignment(progress, Pos.BOTTOM_CENTER);
        StackPane center = new StackPane(stage, message, spinner, progress);
        center.getStyleClass().add("panel-canvas");
        VBox.setVgrow(center, Priority.ALWAYS);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        headerTools.setAlignment(Pos.CENTER_RIGHT);
        HBox header = new HBox(8, title, spacer, readout, headerTools);
        // Fixed, so panels with buttons in the title row keep the same image area as those without.
        header.setMinHeight(28);
        header.setPrefHeight(28);
        header.setMaxHeight(28);
        header.setAlignment(Pos.CENTER_LEFT);
        extra.getStyleClass().add("panel-extra");
        extra.setMinHeight(EXTRA_HEIGHT);
        extra.setPrefHeight(EXTRA_HEIGHT);
        extra.setMaxHeight(EXTRA_HEIGHT);
        legend.setBarVisible(method != null);
        getChildren().addAll(header, center, footer(), legend, extra);
        display.colormapProperty().addListener((o, was, now) -> render());
        display.scalingProperty().addListener((o, was, now) -> {
            scaled = null;
            render();
            updateLegend();
            updateReadout();
        });
        viewport.hoverXProperty().addListener(o -> updateReadout());
        viewport.hoverYProperty().addListener(o -> updateReadout());
        display.showBoxProperty().addListener((o, was, now) -> {
            stage.box().setUserData(now);
            stage.requestLayout();
        });
        stage.box().setUserData(display.showBoxProperty().get());
    }

    private HBox footer() {
        Label label = new Label("Opacity");
        label.getStyleClass().add("muted");
        HBox row = new HBox(6, label, opacity, opacityValue);
        row.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(opacity, Priority.ALWAYS);
        opacity.setMinWidth(50);
        opacity.setPrefWidth(120);
        opacityValue.setMinWidth(38);
        setMinWidth(180);
        if (method == null) {
            row.setVisible(false);
            return row;
        }
        opacity.setId("opacity-" + method.id());
        opacity.setTooltip(new Tooltip("Heatmap opacity over the image the model saw"));
        opacity.setValue(display.opacityProperty(method).get() * 100);
        // The slider shows percent, the setting holds 0..1; the overlay node follows the setting.
        opacity.valueProperty().addListener(
                (o, was, now) -> display.opacityProperty(method).set(now.doubleValue() / 100));
        display.opacityProperty(method).addListener((o, was, now) -> {
            if (Math.abs(opacity.getValue() - now.doubleValue() * 100) > 1e-9) {
                opacity.setValue(now.doubleValue() * 100);
            }
        });
        stage.overlay().opacityProperty().bind(display.opacityProperty(method));
        opacityValue.textProperty().bind(opacity.valueProperty().asString("%.0f%%"));
        return row;
    }

    /** Shows a result: the image and, for a method panel, its map (or a message when the map is blank). */
    public void show(RgbImage image, Heatmap heatmap, String captionText, String blankMessage) {
        boolean newImage = image != seen;
        boolean newMap = heatmap != map;
        seen = image;
        map = heatmap;
        if (newMap) {
            scaled = null;
        }
        if (newImage) {
            stage.base().setImage(FxImages.of(image));
        }
        this.captionText = captionText == null ? " " : captionText;
        updateLegend();
        if (!newImage && !newMap && method != null && blankMessage == null && heatmap != null) {
            return; // the same map again (another panel changed): nothing to redraw
        }
        if (method == null) {
            message.setVisible(false);
        } else {
            boolean blank = heatmap == null || blankMessage != null;
            message.setText(blankMessage == null ? "" : blankMessage);
            message.setVisible(blankMessage != null);
            stage.overlay().setVisible(!blank);
        }
        render();
        updateReadout();
        stage.requestLayout();
    }

    /** Clears the panel and shows {@code text} instead (a failure, or nothing to show yet). */
    public void showMessage(String text) {
        seen = null;
        map = null;
        scaled = null;
        stage.base().setImage(null);
        stage.overlay().setImage(null);
        message.setText(text);
        message.setVisible(text != null);
        captionText = " ";
        updateLegend();
        readout.setText(" ");
    }

    public void setBusy(boolean busy) {
        spinner.setVisible(busy && !progress.isVisible());
    }

    /**
     * Shows how far a multi-pass method is ({@code fraction} in [0, 1], negative = unknown) with a Cancel button;
     * {@code null} hides it.
     */
    public void setProgress(Double fraction, String what) {
        progress.show(fraction, what);
        if (fraction != null) {
            spinner.setVisible(false);
        }
    }

    /** What the Cancel button under the progress bar does. */
    public void setOnCancel(Runnable action) {
        progress.setOnCancel(action);
    }

    /** Puts {@code node} (the metrics of the method) under the colour bar, in a slot every panel has. */
    public void setExtra(javafx.scene.Node node) {
        extra.getChildren().setAll(node);
    }

    /** Buttons at the right end of the title row (close, parameters, evaluate). */
    public HBox headerTools() {
        return headerTools;
    }

    /** Draws against a range shared with other panels ({@code null}: this map's own range). */
    public void setSharedRange(MapScaling.Range range) {
        if (java.util.Objects.equals(range, shared)) {
            return;
        }
        shared = range;
        scaled = null;
        render();
        updateLegend();
        updateReadout();
    }

    /** The colormap this panel draws its map with: diverging for signed maps, the chosen one otherwise. */
    public Colormap colormap() {
        return map != null && map.signed() ? DisplaySettings.SIGNED_COLORMAP : display.colormapProperty().get();
    }

    public void setBox(Rectangle2D inImage) {
        stage.setBox(inImage);
    }

    private void render() {
        Colormap cm = colormap();
        legend.setColormap(cm);
        stage.overlay().setImage(map == null || method == null ? null
                : FxImages.of(scaledValues(), map.width(), map.height(), cm));
    }

    private float[] scaledValues() {
        if (scaled == null) {
            scaled = display.scalingProperty().get().scale(map, shared);
        }
        return scaled;
    }

    /** The colour bar's ends and caption for the map shown (the input panel has only its caption). */
    private void updateLegend() {
        legend.show(LegendPresenter.legend(method == null ? null : map, display.scalingProperty().get(), shared,
                captionText));
        legend.setColormap(colormap());
    }

    private void updateReadout() {
        boolean input = method == null;
        readout.setText(LegendPresenter.readout(seen, map, input || map == null ? null : scaledValues(), input,
                viewport.hoverXProperty().get(), viewport.hoverYProperty().get()));
    }

    /** The image the panel shows (the model's view), or {@code null}. */
    public RgbImage seenImage() {
        return seen;
    }

    public Heatmap heatmap() {
        return map;
    }
}
