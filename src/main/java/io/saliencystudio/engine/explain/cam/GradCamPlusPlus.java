package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;
import java.util.Map;

/**
 * Grad-CAM++ (Chattopadhay et al. 2018), in the paper's closed form. The paper assumes the class score is
 * {@code Y = exp(S)} of the logit S; then the higher derivatives of Y are powers of the first derivative g of S
 * (times {@code exp(S)}), and the pixel weights become
 * {@code alpha_kij = g^2 / (2 g^2 + sum_ab A_kab * g^3)}, set to 0 where g is 0 or the denominator is 0. The
 * channel weights are {@code w_k = sum_ij alpha_kij ReLU(g_kij)} and the map {@code ReLU(sum_k w_k A_k)}. The
 * {@code exp(S)} factor of the paper's weights only scales the whole map, so it is left out (the map is normalised
 * anyway). By default no epsilon is added to the denominator (zero denominators are handled explicitly);
 * pytorch-grad-cam adds 1e-6, which damps the weights where |g| is small (1e-3 .. 1e-4, typical at late layers).
 * {@link io.saliencystudio.engine.explain.MethodSettings#gradCamPlusPlusEpsilon()} reproduces it: alpha is then
 * {@code g^2 / (2 g^2 + sum_ab A * g^3 + eps)}, 0 where g is 0, as that library computes it.
 */
public final class GradCamPlusPlus implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        LayerTap tap = context.tap();
        float[] a = context.pass().activations()[image];
        float[] g = context.pass().activationGradients()[image];
        int channels = tap.channels();
        int hw = tap.height() * tap.width();
        double[] sumA = CamMath.channelSums(a, channels, hw);
        float[] weights = new float[channels];
        double eps = context.settings().gradCamPlusPlusEpsilon();
        int zeroDenominators = 0;
        for (int k = 0; k < channels; k++) {
            double w = 0;
            for (int p = 0; p < hw; p++) {
                double gi = g[k * hw + p];
                if (gi == 0) {
                    continue;
                }
                double g2 = gi * gi;
                double denominator = 2 * g2 + sumA[k] * g2 * gi + eps;
                if (denominator == 0) {
                    zeroDenominators++;
                    continue;
                }
                w += g2 / denominator * Math.max(gi, 0);
            }
            weights[k] = (float) w;
        }
        return new RawMap(CamMath.relu(CamMath.weightedSum(a, weights, channels, hw)), tap.width(), tap.height(),
                Map.of("assumption", "exp of the logit (closed form)", "zeroDenominators", zeroDenominators,
                "epsilon", eps));
    }
}
