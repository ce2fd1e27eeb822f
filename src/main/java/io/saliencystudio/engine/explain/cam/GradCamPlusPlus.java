package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;
import java.util.LinkedHashMap;
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
 *
 * <p>The closed form assumes non-negative activations (the paper taps after a ReLU). There the factor
 * {@code 2 + g sum A} of the denominator is at least 2 wherever {@code g > 0}, so {@code alpha <= 1/2}. At a tap with
 * negative activations (before a ReLU, e.g. {@code layer4.2.conv3} of a ResNet-50) {@code sum A} can be negative and
 * the factor near zero or below it: alpha explodes or flips sign and a few cells dominate the map. Cells whose factor
 * is under 1 (alpha above twice its bound) are counted as {@code unstableCells} and the map carries a warning.
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
        int unstable = 0;
        int negative = 0;
        for (int k = 0; k < channels; k++) {
            double w = 0;
            for (int p = 0; p < hw; p++) {
                double gi = g[k * hw + p];
                if (gi == 0) {
                    continue;
                }
                double g2 = gi * gi;
                double factor = 2 + sumA[k] * gi;
                if (gi > 0 && factor < 1) {
                    unstable++;
                    negative += factor < 0 ? 1 : 0;
                }
                double denominator = 2 * g2 + sumA[k] * g2 * gi + eps;
                if (denominator == 0) {
                    zeroDenominators++;
                    continue;
                }
                w += g2 / denominator * Math.max(gi, 0);
            }
            weights[k] = (float) w;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("assumption", "exp of the logit (closed form)");
        details.put("zeroDenominators", zeroDenominators);
        details.put("epsilon", eps);
        details.put("unstableCells", unstable);
        if (unstable > 0) {
            details.put("warning", "Unstable weights: " + unstable + " of " + channels * hw + " cells have a "
                    + "denominator near zero" + (negative > 0 ? " or negative (" + negative + ")" : "") + ", because "
                    + "this layer has negative activations (Grad-CAM++ assumes a layer after a ReLU). Pick the layer "
                    + "after the ReLU, or use Grad-CAM here.");
        }
        return new RawMap(CamMath.relu(CamMath.weightedSum(a, weights, channels, hw)), tap.width(), tap.height(),
                details);
    }
}
