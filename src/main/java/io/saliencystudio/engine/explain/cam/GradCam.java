package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;

/**
 * Grad-CAM (Selvaraju et al. 2017): {@code alpha_k = mean_ij dy/dA_k}, {@code L = ReLU(sum_k alpha_k A_k)}. The
 * spatial mean (the paper) rather than the sum (the original code) only changes the raw scale.
 */
public final class GradCam implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        LayerTap tap = context.tap();
        float[] a = context.pass().activations()[image];
        float[] g = context.pass().activationGradients()[image];
        int hw = tap.height() * tap.width();
        float[] weights = new float[tap.channels()];
        for (int k = 0; k < tap.channels(); k++) {
            double sum = 0;
            for (int p = 0; p < hw; p++) {
                sum += g[k * hw + p];
            }
            weights[k] = (float) (sum / hw);
        }
        return new RawMap(CamMath.relu(CamMath.weightedSum(a, weights, tap.channels(), hw)), tap.width(),
                tap.height());
    }
}
