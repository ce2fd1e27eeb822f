package io.saliencystudio.app.explain;

import io.saliencystudio.engine.render.Colormap;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Stop;

/**
 * The colour bar under a map with its two ends in the map's raw units, and a caption line below. Shows what
 * {@link LegendPresenter#legend} says; the range labels have the style class {@code range-label}, the caption
 * {@code panel-caption}.
 */
public final class ColorBarLegend extends VBox {

    private final Region bar = new Region();
    private final Label min = new Label();
    private final Label max = new Label();
    private final Label caption = new Label(" ");
    private final Tooltip captionTip = new Tooltip();
    private final HBox barRow;

    public ColorBarLegend() {
        super(2);
        getStyleClass().add("color-bar-legend");
        bar.setMinHeight(10);
        bar.setPrefHeight(10);
        bar.setMinWidth(40);
        bar.getStyleClass().add("color-bar");
        HBox.setHgrow(bar, Priority.ALWAYS);
        for (Label l : new Label[] {min, max}) {
            l.getStyleClass().addAll("muted", "range-label");
            l.setMinWidth(Region.USE_PREF_SIZE);
        }
        min.setId("range-min");
        max.setId("range-max");
        caption.getStyleClass().addAll("muted", "panel-caption");
        caption.setMinWidth(0);
        barRow = new HBox(6, min, bar, max);
        barRow.setAlignment(Pos.CENTER);
        getChildren().addAll(barRow, caption);
    }

    /** Hides the bar (the input panel has no map), keeping the caption and the row's height. */
    public void setBarVisible(boolean visible) {
        barRow.setVisible(visible);
    }

    public void setColormap(Colormap cm) {
        bar.setBackground(new Background(new BackgroundFill(gradient(cm), null, null)));
    }

    public void show(LegendPresenter.Legend legend) {
        min.setText(legend.min());
        max.setText(legend.max());
        caption.setText(legend.caption());
        // Captions can be longer than the panel is wide (a warning, a long layer path): the tooltip has all of it.
        captionTip.setText(legend.caption());
        caption.setTooltip(legend.caption().isBlank() ? null : captionTip);
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
}
