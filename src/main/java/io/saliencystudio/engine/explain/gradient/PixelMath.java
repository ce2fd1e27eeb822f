package io.saliencystudio.engine.explain.gradient;

/** Channel aggregation for pixel maps; tensors are CHW arrays of {@code channels * hw} floats. */
public final class PixelMath {

    private PixelMath() {}

    /** {@code sum_ch |v_ch,p|}. */
    public static float[] sumAbsOverChannels(float[] v, int channels, int hw) {
        float[] out = new float[hw];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < hw; p++) {
                out[p] += Math.abs(v[c * hw + p]);
            }
        }
        return out;
    }

    /** {@code sum_ch v_ch,p} (signed). */
    public static float[] sumOverChannels(float[] v, int channels, int hw) {
        float[] out = new float[hw];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < hw; p++) {
                out[p] += v[c * hw + p];
            }
        }
        return out;
    }
}
