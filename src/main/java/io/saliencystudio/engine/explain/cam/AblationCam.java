package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ablation-CAM (Desai and Ramaswamy 2020): {@code w_k = (y_c - y_c^k) / y_c}, where y_c is the class logit and
 * y_c^k the logit with channel k of the tap set to zero; {@code L = ReLU(sum_k w_k A_k)}. Zeroing is done by adding
 * the probe {@code -A * onehot(k)} to the tapped activation, so the rest of the network runs on exactly the ablated
 * activation. Channels that are already all zero are skipped: ablating them changes nothing, so their weight is
 * exactly 0 (counted as {@code skippedChannels}). The division by y_c is the paper's: with a negative class logit
 * it flips every weight's sign, as the formula says. If y_c is exactly 0 the ratio is undefined; the plain drop
 * {@code y_c - y_c^k} is used instead and recorded. One forward per channel, batched by the network's batch size, with
 * progress (and cancellation) between batches. Where the network can be started at the tap ({@link
 * io.saliencystudio.engine.explain.Network#canStartAt}: a cut tap of an export with {@code forward_from}), each
 * ablated activation runs only the layers after the tap (at a ResNet's {@code layer4}: pooling and the classifier);
 * elsewhere each runs the whole network with the probe, one full forward per live channel. Both give the same logits.
 */
public final class AblationCam implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        LayerTap tap = context.tap();
        float[] a = CamMath.activation(context, image);
        int target = context.targets()[image];
        double score = context.pass().logits()[image][target];
        int channels = tap.channels();
        int hw = tap.height() * tap.width();
        List<Integer> live = new ArrayList<>();
        for (int k = 0; k < channels; k++) {
            if (!allZero(a, k * hw, hw)) {
                live.add(k);
            }
        }
        double divisor = score != 0 ? score : 1;
        float[] weights = new float[channels];
        int batch = context.network().batchSize();
        int total = live.size();
        boolean fromTap = context.network().canStartAt(tap);
        for (int from = 0; from < total; from += batch) {
            context.progress().advance(from, total, "Ablation-CAM");
            List<Integer> chunk = live.subList(from, Math.min(total, from + batch));
            float[][] logits = fromTap
                    ? context.network().logitsFrom(tap, ablated(a, chunk, hw))
                    : context.network().logitsWithProbes(context.inputs().get(image), tap, probes(a, chunk, hw));
            for (int i = 0; i < chunk.size(); i++) {
                weights[chunk.get(i)] = (float) ((score - logits[i][target]) / divisor);
            }
        }
        context.progress().advance(total, total, "Ablation-CAM");
        return new RawMap(CamMath.relu(CamMath.weightedSum(a, weights, channels, hw)), tap.width(), tap.height(),
                Map.of("skippedChannels", channels - total, "ablatedForwards", total, "batchSize", batch,
                        "weight", score != 0 ? "(y - y_k) / y" : "y - y_k (class logit is 0)",
                        "route", fromTap ? "from the tap on (forward_from)" : "whole network with a probe"));
    }

    /** The activation with channel k zeroed, for each k. */
    private static List<float[]> ablated(float[] a, List<Integer> channels, int hw) {
        List<float[]> out = new ArrayList<>(channels.size());
        for (int k : channels) {
            float[] copy = a.clone();
            java.util.Arrays.fill(copy, k * hw, (k + 1) * hw, 0f);
            out.add(copy);
        }
        return out;
    }

    /** Probes {@code -A * onehot(k)}: added to the activation, they zero channel k. */
    private static List<float[]> probes(float[] a, List<Integer> channels, int hw) {
        List<float[]> out = new ArrayList<>(channels.size());
        for (int k : channels) {
            float[] probe = new float[a.length];
            for (int p = 0; p < hw; p++) {
                probe[k * hw + p] = -a[k * hw + p];
            }
            out.add(probe);
        }
        return out;
    }

    private static boolean allZero(float[] a, int from, int length) {
        for (int i = from; i < from + length; i++) {
            if (a[i] != 0f) {
                return false;
            }
        }
        return true;
    }
}
