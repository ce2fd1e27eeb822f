package io.saliencystudio.app.explain;

import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleIntegerProperty;

/**
 * Zoom, pan and hover shared by all panels, in image terms so panels of slightly different sizes stay in step:
 * {@code zoom} is relative to "fit" (1 = whole image visible), {@code centerX}/{@code centerY} the image point (as a
 * fraction of its width/height) at the panel centre, {@code hoverX}/{@code hoverY} the image pixel under the mouse
 * in any panel ({@code -1} when none).
 */
public final class Viewport {

    public static final double MIN_ZOOM = 1;
    public static final double MAX_ZOOM = 64;

    private final DoubleProperty zoom = new SimpleDoubleProperty(this, "zoom", 1);
    private final DoubleProperty centerX = new SimpleDoubleProperty(this, "centerX", 0.5);
    private final DoubleProperty centerY = new SimpleDoubleProperty(this, "centerY", 0.5);
    private final IntegerProperty hoverX = new SimpleIntegerProperty(this, "hoverX", -1);
    private final IntegerProperty hoverY = new SimpleIntegerProperty(this, "hoverY", -1);

    public void zoomBy(double factor) {
        setZoom(zoom.get() * factor);
    }

    public void setZoom(double z) {
        zoom.set(Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, z)));
        if (zoom.get() == MIN_ZOOM) {
            centerX.set(0.5);
            centerY.set(0.5);
        }
    }

    /** Zooms keeping the image point ({@code fx}, {@code fy}, fractions) under the cursor where it is. */
    public void zoomAt(double factor, double fx, double fy) {
        double old = zoom.get();
        setZoom(old * factor);
        double k = old / zoom.get();
        pan(fx - (fx - centerX.get()) * k - centerX.get(), fy - (fy - centerY.get()) * k - centerY.get());
    }

    /** Moves the centre by a fraction of the image; the centre stays on the image. */
    public void pan(double dx, double dy) {
        if (zoom.get() <= MIN_ZOOM) {
            return;
        }
        centerX.set(Math.max(0, Math.min(1, centerX.get() + dx)));
        centerY.set(Math.max(0, Math.min(1, centerY.get() + dy)));
    }

    public void fit() {
        setZoom(MIN_ZOOM);
    }

    public void hover(int x, int y) {
        hoverX.set(x);
        hoverY.set(y);
    }

    public void clearHover() {
        hover(-1, -1);
    }

    public DoubleProperty zoomProperty() {
        return zoom;
    }

    public DoubleProperty centerXProperty() {
        return centerX;
    }

    public DoubleProperty centerYProperty() {
        return centerY;
    }

    public IntegerProperty hoverXProperty() {
        return hoverX;
    }

    public IntegerProperty hoverYProperty() {
        return hoverY;
    }
}
