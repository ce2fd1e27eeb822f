package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * XGrad-CAM (Fu et al. 2020): {@code w_k = sum_ij g_kij A_kij / (sum_ij A_kij + 1e-7)},
 * {@code L = ReLU(sum_k w_k A_k)}. The weights make the map satisfy the paper's sensitivity and conservation axioms
 * for ReLU networks; the 1e-7 (the paper's code) keeps all-zero channels finite (their weight is then 0).
 *
 * <p>After a ReLU {@code sum A = sum |A|}. At a tap with negative activations the sum can cancel to near zero or turn
 * negative, and the weight explodes or flips sign. Channels with {@code |sum A| < 0.01 sum |A|} or {@code sum A < 0}
 * (and some activation) are counted as {@code unstableChannels} and the map carries a warning.
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
        int unstable = 0;
        for (int k = 0; k < channels; k++) {
            double dot = 0;
            double abs = 0;
            for (int p = 0; p < hw; p++) {
                dot += (double) g[k * hw + p] * a[k * hw + p];
                abs += Math.abs(a[k * hw + p]);
            }
            if (abs > 0 && (sumA[k] < 0 || Math.abs(sumA[k]) < 0.01 * abs)) {
                unstable++;
            }
            weights[k] = (float) (dot / (sumA[k] + 1e-7));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("unstableChannels", unstable);
        if (unstable > 0) {
            details.put("warning", "Unstable weights: " + unstable + " of " + channels + " channels have an activation "
                    + "sum near zero or negative, because this layer has negative activations (XGrad-CAM assumes a "
                    + "layer after a ReLU). Pick the layer after the ReLU, or use Grad-CAM here.");
        }
        return new RawMap(CamMath.relu(CamMath.weightedSum(a, weights, channels, hw)), tap.width(), tap.height(),
                details);
    }
}
