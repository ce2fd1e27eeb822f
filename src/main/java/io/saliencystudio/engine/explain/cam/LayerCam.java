package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;

/**
 * LayerCAM (Jiang et al. 2021): {@code L = ReLU(sum_k ReLU(g_k) * A_k)}, element-wise: each position keeps its own
 * (positive) gradient instead of a channel-wide weight, which is what lets it work at shallow layers.
 */
public final class LayerCam implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        LayerTap tap = context.tap();
        float[] a = context.pass().activations()[image];
        float[] g = context.pass().activationGradients()[image];
        int hw = tap.height() * tap.width();
        double[] sum = new double[hw];
        for (int k = 0; k < tap.channels(); k++) {
            for (int p = 0; p < hw; p++) {
                sum[p] += Math.max(g[k * hw + p], 0f) * (double) a[k * hw + p];
            }
        }
        return new RawMap(CamMath.relu(toFloat(sum)), tap.width(), tap.height());
    }

    static float[] toFloat(double[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }
}
