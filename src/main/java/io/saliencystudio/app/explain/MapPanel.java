package io.saliencystudio.app.explain;

import io.saliencystudio.app.FxImages;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.render.Colormap;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Slider;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Stop;

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
    private final Region colorBar = new Region();
    private final Label rangeMin = new Label();
    private final Label rangeMax = new Label();
    private final Label caption = new Label(" ");
    private final HBox headerTools = new HBox(2);
    private final ProgressBar progressBar = new ProgressBar(-1);
    private final Label progressText = new Label();
    private final Button cancelButton = new Button("Cancel");
    private final VBox progressBox = new VBox(4);
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
        progressBar.setMaxWidth(Double.MAX_VALUE);
        progressText.getStyleClass().add("muted");
        cancelButton.getStyleClass().add("small");
        cancelButton.setId(method == null ? null : "cancel-" + method.id());
        HBox progressRow = new HBox(6, progressBar, cancelButton);
        progressRow.setAlignment(Pos.CENTER);
        HBox.setHgrow(progressBar, Priority.ALWAYS);
        progressBox.getChildren().addAll(progressText, progressRow);
        progressBox.getStyleClass().add("panel-progress");
        progressBox.setMaxHeight(Region.USE_PREF_SIZE);
        progressBox.setMaxWidth(240);
        progressBox.setVisible(false);
        StackPane.setAlignment(progressBox, Pos.BOTTOM_CENTER);
        StackPane center = new StackPane(stage, message, spinner, progressBox);
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
        getChildren().addAll(header, center, footer(), colorBarRow(), extra);
        display.colormapProperty().addListener((o, was, now) -> render());
        display.scalingProperty().addListener((o, was, now) -> {
            scaled = null;
            render();
            updateRange();
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

    private VBox colorBarRow() {
        colorBar.setMinHeight(10);
        colorBar.setPrefHeight(10);
        colorBar.setMinWidth(40);
        colorBar.getStyleClass().add("color-bar");
        HBox.setHgrow(colorBar, Priority.ALWAYS);
        for (Label l : new Label[] {rangeMin, rangeMax}) {
            l.getStyleClass().addAll("muted", "range-label");
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        caption.getStyleClass().addAll("muted", "panel-caption");
        caption.setMinWidth(0);
        HBox bar = new HBox(6, rangeMin, colorBar, rangeMax);
        bar.setAlignment(Pos.CENTER);
        VBox box = new VBox(2, bar, caption);
        if (method == null) {
            bar.setVisible(false);
        }
        return box;
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
        updateCaption();
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
            updateRange();
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
        rangeMin.setText("");
        rangeMax.setText("");
        captionText = " ";
        caption.setText(" ");
        readout.setText(" ");
    }

    public void setBusy(boolean busy) {
        spinner.setVisible(busy && !progressBox.isVisible());
    }

    /**
     * Shows how far a multi-pass method is ({@code fraction} in [0, 1], negative = unknown) with a Cancel button;
     * {@code null} hides it.
     */
    public void setProgress(Double fraction, String what) {
        boolean on = fraction != null;
        progressBox.setVisible(on);
        if (on) {
            spinner.setVisible(false);
            progressBar.setProgress(fraction < 0 ? -1 : fraction);
            progressText.setText(fraction < 0 ? "Computing…" : String.format(Locale.ROOT, "%s %.0f%%",
                    what == null ? "" : what, fraction * 100).strip());
        }
    }

    /** Whether the progress bar and its Cancel button are showing. */
    public boolean progressShown() {
        return progressBox.isVisible();
    }

    /** What the Cancel button under the progress bar does. */
    public void setOnCancel(Runnable action) {
        cancelButton.setOnAction(e -> action.run());
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
        updateRange();
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
        colorBar.setBackground(new Background(new BackgroundFill(gradient(cm), null, null)));
        stage.overlay().setImage(map == null || method == null ? null
                : FxImages.of(scaledValues(), map.width(), map.height(), cm));
    }

    private float[] scaledValues() {
        if (scaled == null) {
            scaled = display.scalingProperty().get().scale(map, shared);
        }
        return scaled;
    }

    /** The colour bar's ends in the map's raw units: what the bottom and top colours stand for. */
    private void updateRange() {
        if (method == null || map == null) {
            rangeMin.setText("");
            rangeMax.setText("");
            return;
        }
        MapScaling s = display.scalingProperty().get();
        MapScaling.Range r = shared != null ? shared : s.range(map);
        boolean clipped = s != MapScaling.MIN_MAX;
        if (map.signed()) {
            rangeMin.setText((clipped ? "≤" : "") + format(r.lo()));
            rangeMax.setText((clipped ? "≥+" : "+") + format(r.hi()));
        } else {
            rangeMin.setText(format(r.lo()));
            rangeMax.setText((clipped ? "≥" : "") + format(r.hi()));
        }
        updateCaption();
        colorBar.setBackground(new Background(new BackgroundFill(gradient(colormap()), null, null)));
    }

    /** The caller's caption and the legend's words: signed maps say so, and the scale says whose range it is. */
    private void updateCaption() {
        if (method == null || map == null) {
            caption.setText(captionText);
            return;
        }
        String scale = (map.signed() ? "signed, symmetric: blue < 0 (white) < red · " : "")
                + (shared != null ? "shared scale" : "per map");
        caption.setText(captionText.isBlank() ? scale : captionText + " · " + scale);
    }

    /** The legend under the map as one line (for tests and the status bar). */
    public String legendText() {
        return rangeMin.getText() + " … " + rangeMax.getText() + " | " + caption.getText();
    }

    /** The colormap as a left-to-right gradient (33 stops: smooth enough at any bar width). */
    public static LinearGradient gradient(Colormap cm) {
        Stop[] stops = new Stop[33];
        for (int i = 0; i < stops.length; i++) {
            double v = i / (double) (stops.length - 1);
            int argb = cm.argb((float) v);
            stops[i] = new Stop(v, Color.rgb((argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff));
        }
        return new LinearGradient(0, 0, 1, 0, true, CycleMethod.NO_CYCLE, stops);
    }

    private void updateReadout() {
        int x = viewport.hoverXProperty().get();
        int y = viewport.hoverYProperty().get();
        if (seen == null || x < 0 || y < 0 || x >= seen.width() || y >= seen.height()) {
            readout.setText(" ");
            return;
        }
        if (method == null) {
            float r = seen.get(x, y, 0);
            float g = seen.get(x, y, 1);
            float b = seen.get(x, y, 2);
            readout.setText(r == g && g == b ? String.format(Locale.ROOT, "(%d, %d)  grey %.0f", x, y, r)
                    : String.format(Locale.ROOT, "(%d, %d)  RGB %.0f %.0f %.0f", x, y, r, g, b));
        } else if (map != null && x < map.width() && y < map.height()) {
            int i = y * map.width() + x;
            readout.setText(String.format(Locale.ROOT, "%.3f  (raw %s)", scaledValues()[i], format(map.raw()[i])));
        } else {
            readout.setText(" ");
        }
    }

    static String format(float v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 0.01 && a < 1000 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.2e", v);
    }

    // For tests and the status bar: what this panel currently shows.

    public ImageView overlayView() {
        return stage.overlay();
    }

    public ImageView baseView() {
        return stage.base();
    }

    public Image overlayImage() {
        return stage.overlay().getImage();
    }

    public Label messageLabel() {
        return message;
    }

    public Label readoutLabel() {
        return readout;
    }

    public Slider opacitySlider() {
        return opacity;
    }

    /** The image the panel shows (the model's view), or {@code null}. */
    public RgbImage seenImage() {
        return seen;
    }

    public Heatmap heatmap() {
        return map;
    }

    ImageStage imageStage() {
        return stage;
    }
}
