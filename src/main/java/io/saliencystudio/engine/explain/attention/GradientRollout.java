package io.saliencystudio.engine.explain.attention;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.AttentionMaps;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.AttentionSpec;
import java.util.Map;

/**
 * Gradient-weighted rollout as in Chefer, Gur and Wolf 2021 ("Generic Attention-model Explainability", self-attention
 * rule): {@code R = I}; per layer, in forward order, {@code Ā = mean_heads(ReLU(dA ⊙ A))} with {@code dA} the
 * gradient of the target's pre-softmax logit w.r.t. the layer's attention probabilities; {@code R = R + Ā R}. The
 * map is the class token's row of {@code R} over the patch tokens. One forward and one backward per image.
 */
public final class GradientRollout implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        AttentionMaps maps = context.network().attentionMaps(context.inputs().get(image), context.targets()[image],
                true);
        AttentionSpec s = maps.spec();
        int t = s.tokens();
        double[] r = RolloutMath.identity(t);
        for (int l = 0; l < s.layers(); l++) {
            double[] a = RolloutMath.headMean(maps, l, true, v -> Math.max(0, v));
            double[] ar = RolloutMath.multiply(a, r, t);
            for (int p = 0; p < r.length; p++) {
                r[p] += ar[p];
            }
        }
        return new RawMap(RolloutMath.gridRow(r, s, 0), s.gridWidth(), s.gridHeight(),
                Map.of("headFusion", "mean of ReLU(grad * A)", "rule", "R = R + A R (Chefer et al. 2021)",
                        "attention", s.describe()));
    }
}
