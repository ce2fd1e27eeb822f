package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Heatmap;
import java.util.Arrays;
import java.util.Collection;

/**
 * How a map's raw values become colours; display only, computed from the raw map the engine returned. Min–max is
 * the methods' own normalisation. Clipping at the 99th percentile keeps a few extreme gradients from washing out a
 * sparse saliency map (a common choice in saliency tools; it changes the picture, not the map). Signed maps are
 * always drawn on a symmetric range {@code [-m, m]} so zero sits at the colormap's centre; {@code m} is the largest
 * magnitude, or its 99th percentile.
 */
public enum MapScaling {
    MIN_MAX("min–max"),
    PERCENTILE_99("clip at 99th pct");

    /** The raw values drawn as the bottom and the top colour. */
    public record Range(float lo, float hi) {
        boolean usable() {
            return hi > lo;
        }
    }

    private final String label;

    MapScaling(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The raw value drawn as the top colour. */
    public float top(Heatmap map) {
        return range(map).hi();
    }

    /** This map's own range under this scaling (symmetric for signed maps). */
    public Range range(Heatmap map) {
        if (map.signed()) {
            float m = this == MIN_MAX ? Math.max(Math.abs(map.rawMin()), Math.abs(map.rawMax()))
                    : percentile(abs(map.raw()), 0.99);
            return new Range(-m, m);
        }
        return new Range(map.rawMin(), this == MIN_MAX ? map.rawMax() : percentile(map.raw(), 0.99));
    }

    /**
     * One range for several maps of the same kind ({@code signed} or not): the union of their own ranges, so no
     * panel is clipped more than on its own scale. {@code null} when none of the maps is of that kind.
     */
    public Range shared(Collection<Heatmap> maps, boolean signed) {
        Range out = null;
        for (Heatmap h : maps) {
            if (h == null || h.signed() != signed || h.isBlank()) {
                continue;
            }
            Range r = range(h);
            out = out == null ? r : new Range(Math.min(out.lo(), r.lo()), Math.max(out.hi(), r.hi()));
        }
        return out;
    }

    /** Values in [0, 1] to draw on the map's own scale. */
    public float[] scale(Heatmap map) {
        return scale(map, null);
    }

    /** Values in [0, 1] to draw: {@code (raw - lo) / (hi - lo)}, clamped; {@code shared} = null: the map's own. */
    public float[] scale(Heatmap map, Range shared) {
        if (this == MIN_MAX && shared == null) {
            return map.values(); // the engine's normalisation is exactly this scale
        }
        Range r = shared != null ? shared : range(map);
        if (!r.usable()) {
            return map.values();
        }
        float span = r.hi() - r.lo();
        float[] raw = map.raw();
        float[] out = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, (raw[i] - r.lo()) / span));
        }
        return out;
    }

    private static float[] abs(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Math.abs(values[i]);
        }
        return out;
    }

    static float percentile(float[] values, double q) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        int i = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    @Override
    public String toString() {
        return label;
    }
}
