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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Integrated Gradients (Sundararajan et al. 2017) on the normalised input:
 * {@code a = (x - x') * sum_i w_i grad f_c(x' + alpha_i (x - x'))} with the {@link PathQuadrature} of the settings,
 * the map being {@code sum_ch a} (signed). Completeness says {@code sum a = f_c(x) - f_c(x')} for the exact integral;
 * the RawMap's details carry both sides and their difference, so a user can see whether the steps were enough.
 */
public final class IntegratedGradients implements Attribution {

    private static final String WHAT = "Integrated Gradients";

    @Override
    public RawMap compute(AttributionContext context, int image) {
        MethodSettings.IntegratedGradients s = context.settings().integratedGradients();
        Network network = context.network();
        float[] x = context.inputs().get(image);
        float[] baseline = Baselines.of(s.baseline(), x, network.input(), network.preprocessing());
        return attribute(network, x, baseline, context.targets()[image],
                PathQuadrature.of(s.quadrature(), s.steps()), context.progress());
    }

    /** The map of {@code x} against {@code baseline} for class {@code target}, with the completeness details. */
    static RawMap attribute(Network network, float[] x, float[] baseline, int target, PathQuadrature path,
            Progress progress) {
        InputSpec spec = network.input();
        int n = x.length;
        double[] integral = new double[n];
        Batches.run(path.size(), network.batchSize(), progress, WHAT, (from, to) -> {
            List<float[]> points = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                float alpha = (float) path.alphas()[i];
                float[] point = new float[n];
                for (int j = 0; j < n; j++) {
                    point[j] = baseline[j] + alpha * (x[j] - baseline[j]);
                }
                points.add(point);
            }
            int[] targets = new int[points.size()];
            Arrays.fill(targets, target);
            GradientPass pass = network.gradients(points, targets, null, true);
            for (int i = from; i < to; i++) {
                float[] g = pass.inputGradients()[i - from];
                double w = path.weights()[i];
                for (int j = 0; j < n; j++) {
                    integral[j] += w * g[j];
                }
            }
        });
        float[] attribution = new float[n];
        double total = 0;
        for (int j = 0; j < n; j++) {
            attribution[j] = (float) ((x[j] - (double) baseline[j]) * integral[j]);
            total += attribution[j];
        }
        float[][] ends = network.logits(List.of(x, baseline));
        double deltaLogit = (double) ends[0][target] - ends[1][target];
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sumAttributions", total);
        details.put("deltaLogit", deltaLogit);
        details.put("completenessGap", total - deltaLogit);
        int hw = spec.height() * spec.width();
        return new RawMap(PixelMath.sumOverChannels(attribution, spec.channels(), hw), spec.width(), spec.height(),
                details);
    }
}
