package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Heatmap;
import java.util.Arrays;

/**
 * How a map's raw values become colours; display only, computed from the raw map the engine returned. Min–max is
 * the methods' own normalisation. Clipping at the 99th percentile keeps a few extreme gradients from washing out a
 * sparse saliency map (a common choice in saliency tools; it changes the picture, not the map).
 */
public enum MapScaling {
    MIN_MAX("min–max"),
    PERCENTILE_99("clip at 99th pct");

    private final String label;

    MapScaling(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The raw value drawn as the top colour. */
    public float top(Heatmap map) {
        return this == MIN_MAX ? map.rawMax() : percentile(map.raw(), 0.99);
    }

    /** Values in [0, 1] to draw: {@code (raw - min) / (top - min)}, clamped. */
    public float[] scale(Heatmap map) {
        if (this == MIN_MAX) {
            return map.values();
        }
        float lo = map.rawMin();
        float span = top(map) - lo;
        float[] raw = map.raw();
        float[] out = new float[raw.length];
        if (!(span > 0)) {
            return map.values();
        }
        for (int i = 0; i < raw.length; i++) {
            out[i] = Math.min(1f, Math.max(0f, (raw[i] - lo) / span));
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
