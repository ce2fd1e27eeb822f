package io.saliencystudio.engine.explain.gradient;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.GradientPass;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * SmoothGrad (Smilkov et al. 2017): saliency averaged over noisy copies of the input,
 * {@code M = (1/n) sum_s sum_ch |g_s|} (or {@code g_s^2} for SmoothGrad-Squared), where {@code g_s} is the gradient
 * of the class logit at {@code x + e_s} and {@code e_s ~ N(0, (sigma (max x - min x))^2)} element-wise on the
 * normalised tensor. The class is the one being explained, fixed for every copy (not the copy's own top-1).
 * The noise comes from the settings' seed alone, the same for every image of a request, so one image's map does not
 * depend on what else was in the batch.
 */
public final class SmoothGrad implements Attribution {

    private static final String WHAT = "SmoothGrad";

    @Override
    public RawMap compute(AttributionContext context, int image) {
        MethodSettings.SmoothGrad s = context.settings().smoothGrad();
        float[] x = context.inputs().get(image);
        double sd = noiseStd(x, s.sigma());
        GaussianNoise noise = new GaussianNoise(s.seed());
        RawMap map = average(context.network(), x, context.targets()[image], () -> noise.next(x.length, sd),
                s.samples(), s.squared(), context.progress());
        return new RawMap(map.values(), map.width(), map.height(), Map.of("noiseStd", sd));
    }

    /** {@code sigma * (max(x) - min(x))}: the noise scale in the units the model sees. */
    static double noiseStd(float[] x, double sigma) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return sigma * ((double) max - min);
    }

    /**
     * The map for {@code samples} perturbations drawn in order from {@code perturbations} (each added to
     * {@code x}); package-visible so tests can feed the exact noise of a reference implementation.
     */
    static RawMap average(Network network, float[] x, int target, Supplier<float[]> perturbations, int samples,
            boolean squared, Progress progress) {
        InputSpec spec = network.input();
        int hw = spec.height() * spec.width();
        double[] sum = new double[hw];
        Batches.run(samples, network.batchSize(), progress, WHAT, (from, to) -> {
            List<float[]> noisy = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                float[] e = perturbations.get();
                float[] copy = new float[x.length];
                for (int j = 0; j < x.length; j++) {
                    copy[j] = x[j] + e[j];
                }
                noisy.add(copy);
            }
            int[] targets = new int[noisy.size()];
            Arrays.fill(targets, target);
            GradientPass pass = network.gradients(noisy, targets, null, true);
            for (float[] g : pass.inputGradients()) {
                for (int c = 0; c < spec.channels(); c++) {
                    for (int p = 0; p < hw; p++) {
                        float v = g[c * hw + p];
                        sum[p] += squared ? (double) v * v : Math.abs(v);
                    }
                }
            }
        });
        float[] mean = new float[hw];
        for (int p = 0; p < hw; p++) {
            mean[p] = (float) (sum[p] / samples);
        }
        return new RawMap(mean, spec.width(), spec.height());
    }
}
