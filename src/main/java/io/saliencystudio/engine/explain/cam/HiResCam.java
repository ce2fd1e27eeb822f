package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;

/**
 * HiResCAM (Draelos and Carin 2020): {@code L = ReLU(sum_k g_k * A_k)}, element-wise. Without the spatial averaging
 * of Grad-CAM's weights the map provably reflects the locations the score used (for a network ending in global
 * average pooling and a linear layer, it is the class score's per-position contribution times the pool size).
 */
public final class HiResCam implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        LayerTap tap = context.tap();
        float[] a = context.pass().activations()[image];
        float[] g = context.pass().activationGradients()[image];
        int hw = tap.height() * tap.width();
        double[] sum = new double[hw];
        for (int k = 0; k < tap.channels(); k++) {
            for (int p = 0; p < hw; p++) {
                sum[p] += (double) g[k * hw + p] * a[k * hw + p];
            }
        }
        return new RawMap(CamMath.relu(LayerCam.toFloat(sum)), tap.width(), tap.height());
    }
}
