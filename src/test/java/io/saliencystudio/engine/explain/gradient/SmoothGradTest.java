package io.saliencystudio.engine.explain.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothGradTest {

    private static final InputSpec SPEC = new InputSpec(3, 16, 16, null);

    /** x in [-1, 3]: range 4. */
    private static float[] input() {
        float[] x = new float[SPEC.size()];
        for (int j = 0; j < x.length; j++) {
            x[j] = -1 + 4f * j / (x.length - 1);
        }
        return x;
    }

    /** f = sum x^2 / 2, so the gradient at a noisy copy is the copy itself. */
    private static FakeNetwork.Score halfSquare() {
        return new FakeNetwork.Score() {
            @Override
            public double value(float[] x) {
                double s = 0;
                for (float v : x) {
                    s += v * (double) v / 2;
                }
                return s;
            }

            @Override
            public float[] gradient(float[] x) {
                return x.clone();
            }
        };
    }

    private static RawMap run(FakeNetwork net, MethodSettings.SmoothGrad s) {
        AttributionContext ctx = net.context(input(), MethodSettings.DEFAULTS.withSmoothGrad(s), Progress.NONE);
        return new SmoothGrad().compute(ctx, 0);
    }

    @Test
    void seededNoiseHasMeanZeroAndTheAskedSpreadAndIsFedForTheExplainedClass() {
        FakeNetwork net = new FakeNetwork(SPEC, FakeNetwork.preprocessing(0.5, 0.5), 16, halfSquare());
        float[] x = input();

        RawMap map = run(net, new MethodSettings.SmoothGrad(0.15, 40, 42L, false));

        double sd = 0.15 * 4;
        assertThat((double) map.details().get("noiseStd")).isCloseTo(sd, within(1e-6));
        double sum = 0;
        double sumSq = 0;
        int n = 0;
        for (List<float[]> batch : net.gradientBatches) {
            for (float[] copy : batch) {
                for (int j = 0; j < x.length; j++) {
                    double e = copy[j] - x[j];
                    sum += e;
                    sumSq += e * e;
                    n++;
                }
            }
        }
        assertThat(n).isEqualTo(40 * SPEC.size());
        double mean = sum / n;
        double std = Math.sqrt(sumSq / n - mean * mean);
        assertThat(mean).isCloseTo(0, within(5 * sd / Math.sqrt(n)));
        assertThat(std).isCloseTo(sd, within(0.02 * sd));
        assertThat(net.gradientBatches).extracting(List::size).containsExactly(16, 16, 8);
        assertThat(net.gradientTargets).allSatisfy(t -> assertThat(t).containsOnly(0));
    }

    @Test
    void theSameSeedGivesTheSameMapAndAnotherSeedAnotherOne() {
        FakeNetwork.Score score = halfSquare();
        float[] a = run(new FakeNetwork(SPEC, FakeNetwork.preprocessing(0.5, 0.5), 16, score),
                new MethodSettings.SmoothGrad(0.15, 10, 7L, false)).values();
        float[] again = run(new FakeNetwork(SPEC, FakeNetwork.preprocessing(0.5, 0.5), 3, score),
                new MethodSettings.SmoothGrad(0.15, 10, 7L, false)).values();
        float[] other = run(new FakeNetwork(SPEC, FakeNetwork.preprocessing(0.5, 0.5), 16, score),
                new MethodSettings.SmoothGrad(0.15, 10, 8L, false)).values();

        assertThat(again).as("same seed, other batch size").containsExactly(a);
        assertThat(other).isNotEqualTo(a);
    }

    @Test
    void mapIsTheMeanOverCopiesOfChannelSummedAbsoluteOrSquaredGradients() {
        // With f = sum x^2 / 2 the gradient at x + e is x + e: check the two aggregations on explicit noise.
        FakeNetwork net = new FakeNetwork(SPEC, FakeNetwork.preprocessing(0.5, 0.5), 16, halfSquare());
        float[] x = input();
        float[] e1 = new float[x.length];
        float[] e2 = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            e1[j] = (j % 3) - 1f;
            e2[j] = 0.5f - (j % 2);
        }
        RawMap abs = GradientTestAccess.smoothGrad(net, x, 0, List.of(e1, e2), false);
        RawMap sq = GradientTestAccess.smoothGrad(net, x, 0, List.of(e1, e2), true);

        int hw = 256;
        for (int p = 0; p < hw; p += 37) {
            double a = 0;
            double s = 0;
            for (float[] e : List.of(e1, e2)) {
                for (int c = 0; c < 3; c++) {
                    double g = x[c * hw + p] + e[c * hw + p];
                    a += Math.abs(g);
                    s += g * g;
                }
            }
            assertThat((double) abs.values()[p]).isCloseTo(a / 2, within(1e-5));
            assertThat((double) sq.values()[p]).isCloseTo(s / 2, within(1e-5));
        }
    }

    @Test
    void gaussianNoiseIsStandardNormal() {
        GaussianNoise noise = new GaussianNoise(2026L);
        int n = 200_000;
        double sum = 0;
        double sumSq = 0;
        int beyond2 = 0;
        for (int i = 0; i < n; i++) {
            double v = noise.next();
            sum += v;
            sumSq += v * v;
            beyond2 += Math.abs(v) > 2 ? 1 : 0;
        }
        assertThat(sum / n).isCloseTo(0, within(0.01));
        assertThat(sumSq / n).isCloseTo(1, within(0.01));
        assertThat(beyond2 / (double) n).isCloseTo(0.0455, within(0.003)); // P(|Z| > 2)
    }
}
