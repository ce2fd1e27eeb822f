package io.saliencystudio.engine.figure;

/**
 * A figure ready to draw: the spec, its composited panels and its layout, computed once and shared by every writer
 * (and by a UI preview). Building one is pure computation, safe on any thread.
 */
public record Figure(FigureSpec spec, FigurePanels panels, FigureLayout layout) {

    public static Figure of(FigureSpec spec) {
        FigurePanels panels = FigurePanels.of(spec);
        return new Figure(spec, panels, FigureLayout.of(spec, panels));
    }

    /** Raster size in pixels at the spec's DPI. */
    public int pixelWidth() {
        return (int) Math.ceil(layout.width() * scale());
    }

    public int pixelHeight() {
        return (int) Math.ceil(layout.height() * scale());
    }

    /** Pixels per point. */
    public double scale() {
        return spec.dpi() / 72.0;
    }
}
