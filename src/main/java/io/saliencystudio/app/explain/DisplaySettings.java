package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.render.Colormap;
import java.util.EnumMap;
import java.util.Map;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;

/**
 * How maps are drawn: one colormap for all unsigned maps (signed maps always use the diverging
 * {@link #SIGNED_COLORMAP}), one heatmap opacity per method (0..1: the slider means heatmap opacity and nothing
 * else), the scaling, whether panels share one colour scale, and whether the ground-truth box is outlined. Display
 * only: nothing here reaches the engine.
 */
public final class DisplaySettings {

    public static final double DEFAULT_OPACITY = 0.6;

    /** Diverging, white at zero: negative evidence blue, positive red. */
    public static final Colormap SIGNED_COLORMAP = Colormap.COOLWARM;

    private final ObjectProperty<Colormap> colormap = new SimpleObjectProperty<>(this, "colormap", Colormap.DEFAULT);
    private final Map<Method, DoubleProperty> opacity = new EnumMap<>(Method.class);
    private final ObjectProperty<MapScaling> scaling = new SimpleObjectProperty<>(this, "scaling", MapScaling.MIN_MAX);
    private final BooleanProperty sharedScale = new SimpleBooleanProperty(this, "sharedScale", false);
    private final BooleanProperty showBox = new SimpleBooleanProperty(this, "showBox", true);

    public DisplaySettings() {
        for (Method m : Method.values()) {
            opacity.put(m, new SimpleDoubleProperty(this, m.id() + "Opacity", DEFAULT_OPACITY));
        }
    }

    public ObjectProperty<Colormap> colormapProperty() {
        return colormap;
    }

    public DoubleProperty opacityProperty(Method method) {
        return opacity.get(method);
    }

    public ObjectProperty<MapScaling> scalingProperty() {
        return scaling;
    }

    /**
     * One colour scale for all panels (the union of the unsigned maps' ranges, and one symmetric range for the
     * signed maps) instead of one per panel. Methods have different units: compare like with like.
     */
    public BooleanProperty sharedScaleProperty() {
        return sharedScale;
    }

    public BooleanProperty showBoxProperty() {
        return showBox;
    }
}
