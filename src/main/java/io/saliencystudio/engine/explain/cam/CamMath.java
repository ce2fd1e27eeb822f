package io.saliencystudio.engine.explain.cam;

/** Small helpers shared by the CAM methods: activations are CHW arrays of {@code channels * hw} floats. */
public final class CamMath {

    private CamMath() {}

    /** {@code sum_k w_k A_k} per position. */
    public static float[] weightedSum(float[] activations, float[] weights, int channels, int hw) {
        float[] out = new float[hw];
        for (int k = 0; k < channels; k++) {
            float w = weights[k];
            if (w == 0f) {
                continue;
            }
            int base = k * hw;
            for (int p = 0; p < hw; p++) {
                out[p] += w * activations[base + p];
            }
        }
        return out;
    }

    /** Element-wise max(v, 0), in place; returns its argument. */
    public static float[] relu(float[] v) {
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.max(v[i], 0f);
        }
        return v;
    }
}
