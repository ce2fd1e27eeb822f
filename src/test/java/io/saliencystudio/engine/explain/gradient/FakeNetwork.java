package io.saliencystudio.engine.explain.gradient;

import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.GradientPass;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.Preprocessing;
import java.util.ArrayList;
import java.util.List;

/**
 * A pure-Java {@link Network} with one class whose logit and gradient are given in closed form, so a method's exact
 * answer is known. It records every batch it is given.
 */
final class FakeNetwork implements Network {

    /** The class-0 score and its gradient. */
    interface Score {
        double value(float[] x);

        float[] gradient(float[] x);
    }

    final InputSpec spec;
    final Preprocessing preprocessing;
    final Score score;
    final int batchSize;
    final List<List<float[]>> gradientBatches = new ArrayList<>();
    final List<int[]> gradientTargets = new ArrayList<>();
    final List<Integer> logitBatches = new ArrayList<>();

    FakeNetwork(InputSpec spec, Preprocessing preprocessing, int batchSize, Score score) {
        this.spec = spec;
        this.preprocessing = preprocessing;
        this.batchSize = batchSize;
        this.score = score;
    }

    /** {@code f(x) = sum_j w_j x_j}. */
    static Score linear(float[] w) {
        return new Score() {
            @Override
            public double value(float[] x) {
                double s = 0;
                for (int j = 0; j < x.length; j++) {
                    s += (double) w[j] * x[j];
                }
                return s;
            }

            @Override
            public float[] gradient(float[] x) {
                return w.clone();
            }
        };
    }

    /** {@code f(x) = sum_j x_j^3}: along a straight path from 0 its gradient is quadratic in alpha. */
    static Score cubic() {
        return new Score() {
            @Override
            public double value(float[] x) {
                double s = 0;
                for (float v : x) {
                    s += (double) v * v * v;
                }
                return s;
            }

            @Override
            public float[] gradient(float[] x) {
                float[] g = new float[x.length];
                for (int j = 0; j < x.length; j++) {
                    g[j] = 3 * x[j] * x[j];
                }
                return g;
            }
        };
    }

    static Preprocessing preprocessing(double mean, double std) {
        return new Preprocessing(Preprocessing.ResizePolicy.STRETCH, null, 255.0, new double[] {mean},
                new double[] {std});
    }

    /** A context explaining {@code x} as class 0 with the given settings. */
    AttributionContext context(float[] x, MethodSettings settings, Progress progress) {
        GradientPass pass = gradients(List.of(x), new int[] {0}, null, true);
        gradientBatches.clear();
        gradientTargets.clear();
        return new AttributionContext(this, List.of(x), new int[] {0}, pass, null, settings, progress);
    }

    @Override
    public InputSpec input() {
        return spec;
    }

    @Override
    public Preprocessing preprocessing() {
        return preprocessing;
    }

    @Override
    public int numClasses() {
        return 1;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public float[][] logits(List<float[]> inputs) {
        logitBatches.add(inputs.size());
        float[][] out = new float[inputs.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new float[] {(float) score.value(inputs.get(i))};
        }
        return out;
    }

    @Override
    public GradientPass gradients(List<float[]> inputs, int[] targets, LayerTap tap, boolean inputGradient) {
        gradientBatches.add(List.copyOf(inputs));
        gradientTargets.add(targets.clone());
        int n = inputs.size();
        float[][] logits = new float[n][];
        float[][] grads = new float[n][];
        for (int i = 0; i < n; i++) {
            logits[i] = new float[] {(float) score.value(inputs.get(i))};
            grads[i] = score.gradient(inputs.get(i));
        }
        return new GradientPass(logits, new int[n], grads, null, null);
    }

    @Override
    public float[][] logitsWithProbes(float[] input, LayerTap tap, List<float[]> probes) {
        throw new UnsupportedOperationException("no taps");
    }
}
