package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Score-CAM (Wang et al. 2020), as the authors' code does it: each activation channel A_k is upsampled (bilinear,
 * half-pixel centres) to the input size and min-max normalised to a mask M_k in [0, 1]; the model sees the
 * normalised input times the mask (every colour channel; 0 in normalised space is the dataset's mean colour), and
 * the channel's weight is the class probability {@code s_k = softmax(logits(x * M_k))[c]}. The map is
 * {@code ReLU(sum_k s_k A_k)} at the layer's resolution (the authors sum the upsampled A_k; this is the same up to
 * where the ReLU sits, and keeps every CAM on one display path).
 *
 * <p>Channels whose upsampled map is constant (max == min) cannot be normalised: they are skipped (weight 0, as in
 * the authors' code) and counted in the details as {@code skippedChannels}. The other common choice,
 * pytorch-grad-cam's, is to softmax the masked target logits across channels instead of taking each mask's class
 * probability; it is not what the paper describes. {@link MethodSettings.ScoreCamWeights#CHANNEL_SOFTMAX} reproduces
 * it as that library computes it: masks upsampled with {@code align_corners=True} and normalised
 * {@code (up - min) / (max - min + 1e-8)} (a constant channel gives an all-zero mask and still takes part), weights
 * {@code softmax_k(logit_c(x * M_k))}. One forward per channel, batched by the network's batch size, with progress
 * (and cancellation) between batches.
 */
public final class ScoreCam implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        LayerTap tap = context.tap();
        InputSpec spec = context.network().input();
        float[] a = CamMath.activation(context, image);
        float[] x = context.inputs().get(image);
        int target = context.targets()[image];
        int channels = tap.channels();
        int hw = tap.height() * tap.width();
        int pixels = spec.height() * spec.width();

        boolean library = context.settings().scoreCamWeights() == MethodSettings.ScoreCamWeights.CHANNEL_SOFTMAX;
        float[] weights = new float[channels];
        int batch = context.network().batchSize();
        List<Integer> pending = new ArrayList<>(batch);
        List<float[]> masked = new ArrayList<>(batch);
        int skipped = 0;
        context.progress().advance(0, channels, "Score-CAM");
        for (int k = 0; k < channels; k++) {
            float[] mask = library ? libraryMask(a, k, tap, spec) : mask(a, k, tap, spec);
            if (mask == null) {
                skipped++;
            } else {
                pending.add(k);
                masked.add(maskedInput(x, mask, spec.channels(), pixels));
            }
            if (pending.size() == batch || (k == channels - 1 && !pending.isEmpty())) {
                float[][] logits = context.network().logits(masked);
                for (int i = 0; i < pending.size(); i++) {
                    weights[pending.get(i)] = library ? logits[i][target] : (float) Prediction.probability(logits[i], target);
                }
                pending.clear();
                masked.clear();
                context.progress().advance(k + 1, channels, "Score-CAM");
            }
        }
        if (library) {
            softmaxInPlace(weights);
        }
        return new RawMap(CamMath.relu(CamMath.weightedSum(a, weights, channels, hw)), tap.width(), tap.height(),
                Map.of("skippedChannels", skipped, "maskedForwards", channels - skipped, "batchSize", batch,
                        "weight", library ? "masked class logits softmaxed across channels (pytorch-grad-cam)"
                                : "softmax class probability of each masked input",
                        "weights", context.settings().scoreCamWeights().id()));
    }

    /**
     * Channel k upsampled to the input and min-max normalised to [0, 1]; null when the upsampled map is constant
     * (the authors' test, made on the upsampled map as they do).
     */
    static float[] mask(float[] a, int k, LayerTap tap, InputSpec spec) {
        int hw = tap.height() * tap.width();
        float[] channel = Arrays.copyOfRange(a, k * hw, (k + 1) * hw);
        float[] up = MapMath.bilinear(channel, tap.width(), tap.height(), spec.width(), spec.height());
        float[] range = MapMath.range(up);
        float span = range[1] - range[0];
        if (!(span > 0)) {
            return null;
        }
        for (int i = 0; i < up.length; i++) {
            up[i] = (up[i] - range[0]) / span;
        }
        return up;
    }

    /** pytorch-grad-cam's mask: {@code UpsamplingBilinear2d} (align_corners=True), then {@code + 1e-8} min-max. */
    static float[] libraryMask(float[] a, int k, LayerTap tap, InputSpec spec) {
        int w = tap.width();
        int h = tap.height();
        int outW = spec.width();
        int outH = spec.height();
        float[] up = new float[outW * outH];
        float sx = outW > 1 ? (float) (w - 1) / (outW - 1) : 0;
        float sy = outH > 1 ? (float) (h - 1) / (outH - 1) : 0;
        int base = k * w * h;
        for (int y = 0; y < outH; y++) {
            float fy = y * sy;
            int y0 = Math.min((int) fy, h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            float wy = fy - y0;
            for (int x = 0; x < outW; x++) {
                float fx = x * sx;
                int x0 = Math.min((int) fx, w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                float wx = fx - x0;
                float top = (1 - wx) * a[base + y0 * w + x0] + wx * a[base + y0 * w + x1];
                float bottom = (1 - wx) * a[base + y1 * w + x0] + wx * a[base + y1 * w + x1];
                up[y * outW + x] = (1 - wy) * top + wy * bottom;
            }
        }
        float[] range = MapMath.range(up);
        for (int i = 0; i < up.length; i++) {
            up[i] = (up[i] - range[0]) / (range[1] - range[0] + 1e-8f);
        }
        return up;
    }

    private static void softmaxInPlace(float[] v) {
        double[] p = Prediction.softmax(v);
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) p[i];
        }
    }

    private static float[] maskedInput(float[] x, float[] mask, int colourChannels, int pixels) {
        float[] out = new float[x.length];
        for (int c = 0; c < colourChannels; c++) {
            for (int p = 0; p < pixels; p++) {
                out[c * pixels + p] = x[c * pixels + p] * mask[p];
            }
        }
        return out;
    }
}
