package io.saliencystudio.engine.figure;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.render.Overlay;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The panel images of a figure, composited once from the float data by {@link Overlay}, and the value range the
 * colour bar shows. Under {@link FigureSpec.ScaleMode#SHARED} every map is renormalised from its raw values against
 * one range taken over all maps of the figure, so the same raw value gets the same colour in every panel.
 */
public record FigurePanels(List<Panel> panels, FigureSpec.ScaleMode mode, float min, float max) {

    private static final float EPS = 1e-8f;

    /**
     * One panel.
     *
     * @param method {@code null} for the original
     * @param map the normalised map that was drawn ({@code null} for the original)
     */
    public record Panel(int row, int column, Method method, String layer, Heatmap map, float rawMin, float rawMax,
            BufferedImage image) {}

    /** Composites every panel of {@code spec}. Pure computation; any thread. */
    public static FigurePanels of(FigureSpec spec) {
        boolean shared = spec.scaleMode() == FigureSpec.ScaleMode.SHARED;
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (FigureSpec.Row row : spec.rows()) {
            for (Method m : spec.columns()) {
                // Signed maps keep their own symmetric scale (zero stays the diverging midpoint), so they do not take
                // part in the shared range.
                if (m != null && !row.explanation().result(m).map().signed()) {
                    Heatmap h = row.explanation().result(m).map();
                    lo = Math.min(lo, h.rawMin());
                    hi = Math.max(hi, h.rawMax());
                }
            }
        }
        List<Panel> out = new ArrayList<>();
        for (int r = 0; r < spec.rows().size(); r++) {
            FigureSpec.Row row = spec.rows().get(r);
            for (int c = 0; c < spec.columns().size(); c++) {
                Method m = spec.columns().get(c);
                if (m == null) {
                    out.add(new Panel(r, c, null, null, null, Float.NaN, Float.NaN, Overlay.image(row.input().seen())));
                    continue;
                }
                MethodResult result = row.explanation().result(m);
                Heatmap raw = result.map();
                Heatmap drawn = shared && !raw.signed() ? renormalise(raw, lo, hi) : raw;
                Colormap colormap = raw.signed() ? Colormap.COOLWARM : spec.colormap();
                out.add(new Panel(r, c, m, result.layer(), drawn, raw.rawMin(), raw.rawMax(),
                        Overlay.composite(row.input().seen(), drawn, colormap, spec.opacity())));
            }
        }
        if (!spec.hasMaps()) {
            lo = 0;
            hi = 1;
        }
        return shared ? new FigurePanels(out, spec.scaleMode(), lo, hi) : new FigurePanels(out, spec.scaleMode(), 0f, 1f);
    }

    /** {@code (raw - lo) / (hi - lo)}, clamped; a constant figure maps to 0. */
    static Heatmap renormalise(Heatmap map, float lo, float hi) {
        float[] raw = map.raw();
        float[] v = new float[raw.length];
        float span = hi - lo;
        for (int i = 0; i < raw.length; i++) {
            v[i] = span > EPS ? Math.min(1f, Math.max(0f, (raw[i] - lo) / span)) : 0f;
        }
        return new Heatmap(map.width(), map.height(), raw, v, map.rawMin(), map.rawMax());
    }

    public Panel panel(int row, int column) {
        for (Panel p : panels) {
            if (p.row() == row && p.column() == column) {
                return p;
            }
        }
        throw new IllegalArgumentException("no panel at " + row + "," + column);
    }
}
