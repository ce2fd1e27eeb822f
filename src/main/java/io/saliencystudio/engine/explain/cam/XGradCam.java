package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;

/**
 * XGrad-CAM (Fu et al. 2020): {@code w_k = sum_ij g_kij A_kij / (sum_ij A_kij + 1e-7)},
 * {@code L = ReLU(sum_k w_k A_k)}. The weights make the map satisfy the paper's sensitivity and conservation axioms
 * for ReLU networks; the 1e-7 (the paper's code) keeps all-zero channels finite (their weight is then 0).
 */
public final class XGradCam implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        LayerTap tap = context.tap();
        float[] a = context.pass().activations()[image];
        float[] g = context.pass().activationGradients()[image];
        int channels = tap.channels();
        int hw = tap.height() * tap.width();
        double[] sumA = CamMath.channelSums(a, channels, hw);
        float[] weights = new float[channels];
        for (int k = 0; k < channels; k++) {
            double dot = 0;
            for (int p = 0; p < hw; p++) {
                dot += (double) g[k * hw + p] * a[k * hw + p];
            }
            weights[k] = (float) (dot / (sumA[k] + 1e-7));
        }
        return new RawMap(CamMath.relu(CamMath.weightedSum(a, weights, channels, hw)), tap.width(), tap.height());
    }
}
