package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.GradientPass;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;
import java.util.List;

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

    /** {@code sum_p A_k[p]} for every channel k. */
    public static double[] channelSums(float[] activations, int channels, int hw) {
        double[] out = new double[channels];
        for (int k = 0; k < channels; k++) {
            double s = 0;
            for (int p = 0; p < hw; p++) {
                s += activations[k * hw + p];
            }
            out[k] = s;
        }
        return out;
    }

    /**
     * The tap's activation A of one image. Single-pass CAMs find it in the request's shared pass; the multi-pass
     * ones (Score-CAM, Ablation-CAM) are not part of that pass, so unless a single-pass layer method of the same
     * request already filled it, one forward+backward of this image is run to read it (its cost is negligible
     * next to their one forward per channel, and it keeps the {@code Network} interface unchanged).
     */
    public static float[] activation(AttributionContext context, int image) {
        GradientPass pass = context.pass();
        if (pass != null && pass.activations() != null && pass.activations()[image] != null) {
            return pass.activations()[image];
        }
        return context.network().gradients(List.of(context.inputs().get(image)),
                new int[] {context.targets()[image]}, context.tap(), false).activations()[0];
    }

    /**
     * {@code ReLU(sum_k f(g_k) * A_k)} per position, the element-wise CAMs: f is the identity for HiResCAM and ReLU
     * for LayerCAM (positive gradients only). Sums in double, as the references do.
     */
    static RawMap elementwise(AttributionContext context, int image, boolean positiveGradientsOnly) {
        LayerTap tap = context.tap();
        float[] a = context.pass().activations()[image];
        float[] g = context.pass().activationGradients()[image];
        int hw = tap.height() * tap.width();
        double[] sum = new double[hw];
        for (int k = 0; k < tap.channels(); k++) {
            for (int p = 0; p < hw; p++) {
                float grad = positiveGradientsOnly ? Math.max(g[k * hw + p], 0f) : g[k * hw + p];
                sum[p] += grad * (double) a[k * hw + p];
            }
        }
        float[] out = new float[hw];
        for (int p = 0; p < hw; p++) {
            out[p] = (float) sum[p];
        }
        return new RawMap(relu(out), tap.width(), tap.height());
    }
}
