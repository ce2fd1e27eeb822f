package io.saliencystudio.engine.explain.attention;

import io.saliencystudio.engine.explain.AttentionMaps;
import io.saliencystudio.engine.model.AttentionSpec;
import java.util.function.DoubleUnaryOperator;

/**
 * The arithmetic of attention rollout on {@link AttentionMaps}, in double precision (token counts are small: 197
 * for ViT-B/16 at 224, so a layer's product is ~7.6 M multiply-adds).
 */
final class RolloutMath {

    private RolloutMath() {}

    /** The identity, {@code t x t}, row-major. */
    static double[] identity(int t) {
        double[] eye = new double[t * t];
        for (int i = 0; i < t; i++) {
            eye[i * t + i] = 1;
        }
        return eye;
    }

    /**
     * Layer {@code l}'s head mean of {@code f(value)} ({@code t x t}, row-major), where value is the probability
     * A, or (with {@code gradients}) the product {@code dA * A}.
     */
    static double[] headMean(AttentionMaps maps, int layer, boolean timesGradient, DoubleUnaryOperator f) {
        AttentionSpec s = maps.spec();
        int tt = s.tokens() * s.tokens();
        double[] mean = new double[tt];
        float[] a = maps.probabilities();
        float[] g = maps.gradients();
        for (int h = 0; h < s.heads(); h++) {
            int base = (layer * s.heads() + h) * tt;
            for (int p = 0; p < tt; p++) {
                double v = timesGradient ? (double) g[base + p] * a[base + p] : a[base + p];
                mean[p] += f.applyAsDouble(v);
            }
        }
        for (int p = 0; p < tt; p++) {
            mean[p] /= s.heads();
        }
        return mean;
    }

    /** {@code a b} for square {@code t x t} row-major matrices. */
    static double[] multiply(double[] a, double[] b, int t) {
        double[] out = new double[t * t];
        for (int i = 0; i < t; i++) {
            for (int k = 0; k < t; k++) {
                double aik = a[i * t + k];
                if (aik == 0) {
                    continue;
                }
                int bk = k * t;
                int oi = i * t;
                for (int j = 0; j < t; j++) {
                    out[oi + j] += aik * b[bk + j];
                }
            }
        }
        return out;
    }

    /** Row {@code row} of {@code r} over the grid tokens (after the prefix tokens), as a float grid map. */
    static float[] gridRow(double[] r, AttentionSpec s, int row) {
        int t = s.tokens();
        float[] out = new float[s.gridHeight() * s.gridWidth()];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) r[row * t + s.prefixTokens() + j];
        }
        return out;
    }
}
