package io.saliencystudio.engine.explain;

import io.saliencystudio.engine.model.ReceptiveField;

/** Normalisation and resampling of maps, exactly as {@code shared/notes/methods.md} defines them. */
public final class MapMath {

    private MapMath() {}

    /** Saliency: {@code (S - min) / (max - min + 1e-8)}. */
    public static Heatmap saliency(float[] raw, int width, int height) {
        float[] range = range(raw);
        float[] v = new float[raw.length];
        float denom = range[1] - range[0] + 1e-8f;
        for (int i = 0; i < raw.length; i++) {
            v[i] = (raw[i] - range[0]) / denom;
        }
        return new Heatmap(width, height, raw, v, range[0], range[1]);
    }

    /** Grad-CAM: subtract the min, then divide by {@code max(max, 1e-8)}. {@code raw} is already ReLU'd. */
    public static Heatmap gradCam(float[] raw, int width, int height) {
        float[] range = range(raw);
        float[] v = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            v[i] = raw[i] - range[0];
        }
        float max = Math.max(range[1] - range[0], 1e-8f);
        for (int i = 0; i < v.length; i++) {
            v[i] /= max;
        }
        return new Heatmap(width, height, raw, v, range[0], range[1]);
    }

    /**
     * Signed maps (Integrated Gradients, Input x Gradient, Occlusion): symmetric scale around zero,
     * {@code 0.5 + raw / (2 max|raw|)}, so 0.5 means "no effect" and the sign survives display.
     */
    public static Heatmap signed(float[] raw, int width, int height) {
        float[] range = range(raw);
        float scale = Math.max(Math.max(Math.abs(range[0]), Math.abs(range[1])), 1e-12f);
        float[] v = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            v[i] = 0.5f + 0.5f * raw[i] / scale;
        }
        return new Heatmap(width, height, raw, v, range[0], range[1], true);
    }

    /** Upsamples both the raw and the normalised map (normalise first, then resize, as the references do). */
    public static Heatmap upsample(Heatmap map, int width, int height) {
        return new Heatmap(width, height, bilinear(map.raw(), map.width(), map.height(), width, height),
                bilinear(map.values(), map.width(), map.height(), width, height), map.rawMin(), map.rawMax(),
                map.signed());
    }

    /**
     * Upsamples a layer map with each cell at its receptive-field centre: output pixel {@code (x, y)} (centre
     * {@code x + 0.5}) reads the grid at {@code u = (x + 0.5 - centerX) / strideX}, bilinear between the two nearest
     * cells, clamped to the first and last cell outside the centres (edge values held).
     */
    public static Heatmap upsample(Heatmap map, int width, int height, ReceptiveField rf) {
        return new Heatmap(width, height, atCentres(map.raw(), map.width(), map.height(), width, height, rf),
                atCentres(map.values(), map.width(), map.height(), width, height, rf), map.rawMin(), map.rawMax(),
                map.signed());
    }

    static float[] atCentres(float[] src, int inW, int inH, int outW, int outH, ReceptiveField rf) {
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] fx = new float[outW];
        centres(inW, outW, rf.centerX(), rf.strideX(), x0, x1, fx);
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] fy = new float[outH];
        centres(inH, outH, rf.centerY(), rf.strideY(), y0, y1, fy);
        return interpolate(src, inW, x0, x1, fx, y0, y1, fy);
    }

    private static void centres(int in, int out, double centre0, double stride, int[] i0, int[] i1, float[] frac) {
        for (int d = 0; d < out; d++) {
            double u = Math.max(0, Math.min(in - 1, (d + 0.5 - centre0) / stride));
            int lo = Math.min((int) Math.floor(u), in - 1);
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, in - 1);
            frac[d] = (float) (u - lo);
        }
    }

    /**
     * Bilinear resize with half-pixel centres ({@code align_corners=False} in PyTorch): source coordinate
     * {@code (dst + 0.5) * in / out - 0.5}, clamped at 0 at the low edge, neighbours clamped at the high edge.
     */
    public static float[] bilinear(float[] src, int inW, int inH, int outW, int outH) {
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] fx = new float[outW];
        axis(inW, outW, x0, x1, fx);
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] fy = new float[outH];
        axis(inH, outH, y0, y1, fy);
        return interpolate(src, inW, x0, x1, fx, y0, y1, fy);
    }

    /** Bilinear weights per output column and row (neighbour indices and fractions) applied to a row-major map. */
    private static float[] interpolate(float[] src, int inW, int[] x0, int[] x1, float[] fx, int[] y0, int[] y1,
            float[] fy) {
        int outW = fx.length;
        int outH = fy.length;
        float[] out = new float[outW * outH];
        for (int y = 0; y < outH; y++) {
            int r0 = y0[y] * inW;
            int r1 = y1[y] * inW;
            float wy = fy[y];
            for (int x = 0; x < outW; x++) {
                float wx = fx[x];
                float top = (1 - wx) * src[r0 + x0[x]] + wx * src[r0 + x1[x]];
                float bottom = (1 - wx) * src[r1 + x0[x]] + wx * src[r1 + x1[x]];
                out[y * outW + x] = (1 - wy) * top + wy * bottom;
            }
        }
        return out;
    }

    private static void axis(int in, int out, int[] i0, int[] i1, float[] frac) {
        float scale = (float) in / out;
        for (int d = 0; d < out; d++) {
            float s = Math.max((d + 0.5f) * scale - 0.5f, 0f);
            int lo = Math.min((int) s, in - 1);
            i0[d] = lo;
            i1[d] = Math.min(lo + 1, in - 1);
            frac[d] = s - lo;
        }
    }

    /** {min, max} of an array. */
    public static float[] range(float[] a) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : a) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return new float[] {min, max};
    }
}
