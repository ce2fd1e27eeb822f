package io.saliencystudio.engine.explain;

/**
 * A 2-D map of floats with its raw range. {@code raw} is the method's own output (before normalisation);
 * {@code values} is the normalised map in [0, 1] that is drawn. Both row-major, {@code width * height} long.
 * A {@code signed} map keeps its sign: its values put zero at 0.5 on a symmetric scale
 * ({@code 0.5 + raw / (2 max|raw|)}) and it is drawn with a diverging colormap.
 */
public record Heatmap(int width, int height, float[] raw, float[] values, float rawMin, float rawMax, boolean signed) {

    public Heatmap(int width, int height, float[] raw, float[] values, float rawMin, float rawMax) {
        this(width, height, raw, values, rawMin, rawMax, false);
    }

    public Heatmap {
        if (raw.length != width * height || values.length != width * height) {
            throw new IllegalArgumentException("heatmap arrays must hold " + width * height + " values");
        }
    }

    /** Value at pixel (x, y) of the normalised map. */
    public float value(int x, int y) {
        return values[y * width + x];
    }

    /** Index of the largest normalised value (row-major); ties go to the first. */
    public int argMax() {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** True when the raw map carries no information (constant, e.g. a Grad-CAM whose weighted sum is all negative). */
    public boolean isBlank() {
        return !(rawMax > rawMin);
    }
}
