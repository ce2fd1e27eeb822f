package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.render.Colormap;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * How maps are drawn: one colormap for all panels, one heatmap opacity per method (0..1: the slider means heatmap
 * opacity and nothing else), and whether the ground-truth box is outlined. Display only: nothing here reaches the
 * engine.
 */
public final class DisplaySettings {

    public static final double DEFAULT_OPACITY = 0.6;

    private final ObjectProperty<Colormap> colormap = new SimpleObjectProperty<>(this, "colormap", Colormap.DEFAULT);
    private final DoubleProperty saliencyOpacity = new SimpleDoubleProperty(this, "saliencyOpacity", DEFAULT_OPACITY);
    private final DoubleProperty gradCamOpacity = new SimpleDoubleProperty(this, "gradCamOpacity", DEFAULT_OPACITY);
    private final ObjectProperty<MapScaling> scaling = new SimpleObjectProperty<>(this, "scaling", MapScaling.MIN_MAX);
    private final BooleanProperty showBox = new SimpleBooleanProperty(this, "showBox", true);

    public ObjectProperty<Colormap> colormapProperty() {
        return colormap;
    }

    public DoubleProperty opacityProperty(Method method) {
        return method == Method.SALIENCY ? saliencyOpacity : gradCamOpacity;
    }

    public ObjectProperty<MapScaling> scalingProperty() {
        return scaling;
    }

    public BooleanProperty showBoxProperty() {
        return showBox;
    }
}
