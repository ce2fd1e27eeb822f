package io.saliencystudio.engine.explain.attention;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.AttentionMaps;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.AttentionSpec;
import java.util.Map;

/**
 * Attention rollout (Abnar and Zuidema 2020), with the choices of {@code jacobgil/vit-explain}'s
 * {@code rollout(head_fusion="mean", discard_ratio=0)}: per layer the mean over heads {@code Ā}, the residual
 * connection as {@code A' = 0.5 Ā + 0.5 I}, rows renormalised to sum 1, {@code R = A'_L ... A'_1}; the map is the
 * class token's row of {@code R} over the patch tokens, on the patch grid. Class-independent (no gradient).
 */
public final class AttentionRollout implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        AttentionMaps maps = context.network().attentionMaps(context.inputs().get(image), context.targets()[image],
                false);
        AttentionSpec s = maps.spec();
        int t = s.tokens();
        double[] r = RolloutMath.identity(t);
        for (int l = 0; l < s.layers(); l++) {
            double[] a = RolloutMath.headMean(maps, l, false, v -> v);
            for (int i = 0; i < t; i++) {
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    a[i * t + j] = 0.5 * a[i * t + j] + (i == j ? 0.5 : 0);
                    sum += a[i * t + j];
                }
                for (int j = 0; j < t; j++) {
                    a[i * t + j] /= sum;
                }
            }
            r = RolloutMath.multiply(a, r, t);
        }
        return new RawMap(RolloutMath.gridRow(r, s, 0), s.gridWidth(), s.gridHeight(),
                Map.of("headFusion", "mean", "residual", "0.5 A + 0.5 I, rows renormalised", "discardRatio", 0,
                        "attention", s.describe()));
    }
}
