package io.saliencystudio.engine.metrics;

import io.saliencystudio.engine.image.GaussianBlur;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.model.InputSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Deletion / insertion (RISE, Petsiuk et al. 2018) and average drop / increase in confidence (Chattopadhay et al.
 * 2018), for any method's map: the metrics read only the map and plain forwards of the {@link Network}.
 *
 * <p>Protocol, as implemented (it changes the numbers, so it is recorded with every result):
 * <ul>
 *   <li>Pixels are ranked by the map's <em>raw</em> value, highest first; equal values keep pixel index order (a
 *       stable sort), so the ranking is deterministic. Signed maps rank positive evidence first.</li>
 *   <li>Deletion replaces the ranked pixels, all channels, by 0 in normalised space (the dataset's mean colour).
 *       Insertion starts from {@link GaussianBlur} of the input and copies the input's ranked pixels back in.</li>
 *   <li>Each step changes {@link FaithfulnessSettings#pixelsPerStepFor} pixels; the last step reaches all pixels.
 *       The score is taken before the first step and after every step, so a curve has {@code steps + 1} points.</li>
 *   <li>The score is the softmax probability of the target (or its logit); the AUC is the trapezoid rule over the
 *       fraction of pixels changed ({@link Curve#auc}).</li>
 *   <li>Average drop uses O = the score of the input multiplied, every channel, by the explanation mask in normalised
 *       space (so a masked-out pixel becomes the mean colour, the deletion substrate). The mask is the map normalised
 *       to [0, 1] at input resolution; for a signed map it is its positive part over its maximum, since negative
 *       evidence is not "the region that explains the class".</li>
 * </ul>
 * Runs on the thread that owns the network (the inference thread for a loaded model).
 */
public final class FaithfulnessMetrics {

    private FaithfulnessMetrics() {}

    /**
     * @param input the normalised input tensor (CHW) the map explains
     * @param map the method's map at the input resolution (ordering uses {@code raw}; ties by pixel index)
     * @param progress advanced between batches of forwards; cancelling it stops the evaluation there
     */
    public static Faithfulness evaluate(Network network, float[] input, int target, Heatmap map,
            FaithfulnessSettings settings, Progress progress) {
        InputSpec spec = network.input();
        int channels = spec.channels();
        int width = spec.width();
        int pixels = spec.height() * width;
        if (input.length != spec.size()) {
            throw new IllegalArgumentException("input must hold " + spec.size() + " values, got " + input.length);
        }
        if (map.width() != width || map.height() != spec.height()) {
            throw new IllegalArgumentException("the map is " + map.width() + "x" + map.height()
                    + " but the input is " + width + "x" + spec.height() + ": give the map at input resolution");
        }
        if (target < 0 || target >= network.numClasses()) {
            throw new IllegalArgumentException("class " + target + " is out of range: the model has "
                    + network.numClasses() + " classes");
        }
        int[] order = rankPixels(map.raw());
        int step = settings.pixelsPerStepFor(width);
        int steps = (pixels + step - 1) / step;
        double[] fractions = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            fractions[i] = Math.min((long) i * step, pixels) / (double) pixels;
        }
        float[] blurred = GaussianBlur.blur(input, channels, spec.height(), width, settings.blurSigmaFor(width));
        Walk deletion = new Walk(input, new float[input.length], order, step, channels, pixels);
        Walk insertion = new Walk(blurred, input, order, step, channels, pixels);
        float[] masked = masked(input, explanationMask(map), channels, pixels);

        // One stream of forwards: the masked input, then every deletion step, then every insertion step.
        int total = 1 + 2 * (steps + 1);
        double[] scores = new double[total];
        int batch = Math.max(1, network.batchSize());
        List<float[]> pending = new ArrayList<>(batch);
        int done = 0;
        progress.advance(0, total, "deletion / insertion");
        for (int i = 0; i < total; i++) {
            pending.add(i == 0 ? masked : i <= steps + 1 ? deletion.next() : insertion.next());
            if (pending.size() == batch || i == total - 1) {
                float[][] logits = network.logits(pending);
                for (float[] l : logits) {
                    scores[done++] = score(l, target, settings.probability());
                }
                pending.clear();
                progress.advance(done, total, "deletion / insertion");
            }
        }
        double[] deletionScores = Arrays.copyOfRange(scores, 1, steps + 2);
        double[] insertionScores = Arrays.copyOfRange(scores, steps + 2, total);
        double original = deletionScores[0];
        double maskedScore = scores[0];
        double drop = original == 0 ? 0 : Math.max(0, original - maskedScore) / original;
        return new Faithfulness(new Curve(fractions, deletionScores), new Curve(fractions, insertionScores),
                original, maskedScore, drop, maskedScore > original);
    }

    /** Pixel indices by raw value, highest first; equal values (and NaN, ranked last) in index order. */
    public static int[] rankPixels(float[] raw) {
        Integer[] boxed = new Integer[raw.length];
        for (int i = 0; i < raw.length; i++) {
            boxed[i] = i;
        }
        // Arrays.sort on objects is stable (TimSort), so equal values stay in index order.
        Arrays.sort(boxed, (a, b) -> Float.compare(key(raw[b]), key(raw[a])));
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = boxed[i];
        }
        return out;
    }

    private static float key(float v) {
        return v != v ? Float.NEGATIVE_INFINITY : v;
    }

    /**
     * The [0, 1] mask that average drop multiplies into the input: the normalised map, or for a signed map its
     * positive part divided by its maximum (all zero when nothing is positive).
     */
    public static float[] explanationMask(Heatmap map) {
        if (!map.signed()) {
            float[] v = map.values().clone();
            for (int i = 0; i < v.length; i++) {
                v[i] = v[i] != v[i] ? 0f : Math.min(1f, Math.max(0f, v[i])); // NaN keeps nothing
            }
            return v;
        }
        float[] raw = map.raw();
        float max = 0;
        for (float r : raw) {
            max = Math.max(max, r);
        }
        float[] v = new float[raw.length];
        for (int i = 0; i < raw.length && max > 0; i++) {
            v[i] = Math.max(0f, raw[i]) / max;
        }
        return v;
    }

    private static float[] masked(float[] input, float[] mask, int channels, int pixels) {
        float[] out = new float[input.length];
        for (int c = 0; c < channels; c++) {
            for (int p = 0; p < pixels; p++) {
                out[c * pixels + p] = input[c * pixels + p] * mask[p];
            }
        }
        return out;
    }

    /** Softmax probability of {@code target} (in double, max-shifted) or its logit. */
    static double score(float[] logits, int target, boolean probability) {
        return probability ? Prediction.probability(logits, target) : logits[target];
    }

    /** The images of one curve, made one at a time so a long curve never sits in memory whole. */
    private static final class Walk {
        private final float[] current;
        private final float[] substrate;
        private final int[] order;
        private final int step;
        private final int channels;
        private final int pixels;
        private int changed = -1;

        Walk(float[] start, float[] substrate, int[] order, int step, int channels, int pixels) {
            this.current = start.clone();
            this.substrate = substrate;
            this.order = order;
            this.step = step;
            this.channels = channels;
            this.pixels = pixels;
        }

        /** The start image first, then the image after each step. */
        float[] next() {
            if (changed >= 0) {
                int end = Math.min(changed + step, pixels);
                for (int k = changed; k < end; k++) {
                    int p = order[k];
                    for (int c = 0; c < channels; c++) {
                        current[c * pixels + p] = substrate[c * pixels + p];
                    }
                }
                changed = end;
            } else {
                changed = 0;
            }
            return current.clone();
        }
    }
}
