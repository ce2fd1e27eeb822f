package io.saliencystudio.engine.explain.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.MethodSettings.Baseline;
import io.saliencystudio.engine.explain.MethodSettings.Quadrature;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class IntegratedGradientsTest {

    private static final InputSpec GREY_4X3 = new InputSpec(1, 3, 4, null);
    private static final InputSpec RGB_2X2 = new InputSpec(3, 2, 2, null);

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int j = 0; j < n; j++) {
            x[j] = -1 + 2f * j / (n - 1);
        }
        return x;
    }

    private static RawMap run(FakeNetwork net, float[] x, Baseline baseline, int steps, Quadrature q) {
        MethodSettings settings = MethodSettings.DEFAULTS.withIntegratedGradients(
                new MethodSettings.IntegratedGradients(baseline, steps, q));
        return new IntegratedGradients().compute(net.context(x, settings, Progress.NONE), 0);
    }

    @Test
    void onALinearModelAttributionIsInputMinusBlackBaselineTimesWeightForEveryQuadrature() {
        float[] w = new float[RGB_2X2.size()];
        for (int j = 0; j < w.length; j++) {
            w[j] = (j % 5) - 2f;
        }
        float[] x = ramp(RGB_2X2.size());
        double mean = 0.4;
        double std = 0.2;
        for (Quadrature q : Quadrature.values()) {
            FakeNetwork net = new FakeNetwork(RGB_2X2, FakeNetwork.preprocessing(mean, std), 16, FakeNetwork.linear(w));

            RawMap map = run(net, x, Baseline.BLACK, 7, q);

            float black = (float) (-mean / std); // pixel 0 normalised: (0 - 0.4) / 0.2 = -2 in every channel
            for (int p = 0; p < 4; p++) {
                double expected = 0;
                for (int c = 0; c < 3; c++) {
                    expected += (x[c * 4 + p] - black) * w[c * 4 + p];
                }
                assertThat((double) map.values()[p]).as("%s pixel %d", q, p).isCloseTo(expected, within(1e-5));
            }
            assertThat((double) map.details().get("completenessGap")).as(q.name()).isCloseTo(0, within(1e-4));
        }
    }

    @Test
    void onACubicModelGaussLegendreIsExactAndRiemannRulesHaveTheirKnownBias() {
        // f = sum x^3 from the mean (zero) baseline: grad at alpha x is 3 alpha^2 x^2, so IG_j = x_j^3 * (integral
        // of 3 alpha^2) = x_j^3 exactly, and a rule's answer is x_j^3 * sum_i w_i 3 alpha_i^2.
        float[] x = ramp(GREY_4X3.size());
        int n = 5;
        double left = 3.0 * (n - 1) * n * (2 * n - 1) / 6 / Math.pow(n, 3); // sum_k 3 (k/n)^2 / n
        double h = 1.0 / (n - 1);
        double trapezoid = 1 + h * h / 2; // trapezoid error h^2/12 (f'(1) - f'(0)) with f = 3 a^2
        Map<Quadrature, Double> factor = Map.of(Quadrature.GAUSS_LEGENDRE, 1.0, Quadrature.RIEMANN_LEFT, left,
                Quadrature.RIEMANN_TRAPEZOID, trapezoid);
        for (Map.Entry<Quadrature, Double> c : factor.entrySet()) {
            Quadrature q = c.getKey();
            FakeNetwork net = new FakeNetwork(GREY_4X3, FakeNetwork.preprocessing(0.5, 0.5), 16, FakeNetwork.cubic());

            RawMap map = run(net, x, Baseline.MEAN, n, q);

            double sumCubes = 0;
            for (int j = 0; j < x.length; j++) {
                assertThat((double) map.values()[j]).as("%s %d", q, j)
                        .isCloseTo(Math.pow(x[j], 3) * c.getValue(), within(1e-6));
                sumCubes += Math.pow(x[j], 3);
            }
            assertThat((double) map.details().get("deltaLogit")).isCloseTo(sumCubes, within(1e-5));
            assertThat((double) map.details().get("sumAttributions")).isCloseTo(sumCubes * c.getValue(), within(1e-5));
        }
    }

    @Test
    void pathPointsGoInBatchesOfTheNetworksSizeWithTheExplainedClassAndProgressBetween() {
        FakeNetwork net = new FakeNetwork(GREY_4X3, FakeNetwork.preprocessing(0.5, 0.5), 16, FakeNetwork.cubic());
        List<long[]> reports = new ArrayList<>();
        MethodSettings settings = MethodSettings.DEFAULTS.withIntegratedGradients(
                new MethodSettings.IntegratedGradients(Baseline.MEAN, 50, Quadrature.GAUSS_LEGENDRE));

        new IntegratedGradients().compute(net.context(ramp(12), settings, (d, t, w) -> reports.add(new long[] {d, t})), 0);

        assertThat(net.gradientBatches).extracting(List::size).containsExactly(16, 16, 16, 2);
        assertThat(net.gradientTargets).allSatisfy(t -> assertThat(t).containsOnly(0));
        assertThat(reports).extracting(r -> r[0]).containsExactly(0L, 16L, 32L, 48L, 50L);
    }

    @Test
    void aCancelledRequestStopsBetweenBatches() {
        FakeNetwork net = new FakeNetwork(GREY_4X3, FakeNetwork.preprocessing(0.5, 0.5), 16, FakeNetwork.cubic());
        Progress cancelAfterFirst = new Progress() {
            int calls;

            @Override
            public void report(long done, long total, String what) {
                calls++;
            }

            @Override
            public boolean cancelled() {
                return calls >= 1;
            }
        };

        assertThatThrownBy(() -> new IntegratedGradients().compute(
                net.context(ramp(12), MethodSettings.DEFAULTS, cancelAfterFirst), 0))
                .isInstanceOf(CancellationException.class);
        assertThat(net.gradientBatches).hasSize(1);
    }

    @Test
    void blurredBaselineKeepsAConstantImageAndSpreadsASpikeSymmetrically() {
        InputSpec spec = new InputSpec(1, 20, 20, null);
        float[] constant = new float[spec.size()];
        java.util.Arrays.fill(constant, 0.7f);
        for (float v : Baselines.blurred(constant, spec)) {
            assertThat((double) v).isCloseTo(0.7, within(1e-6));
        }
        float[] spike = new float[spec.size()];
        spike[10 * 20 + 10] = 1;
        float[] blurred = Baselines.blurred(spike, spec);
        // sigma = 2 px, radius 6: the centre holds g(0)^2 with g the normalised 1-D kernel.
        double total = 0;
        for (int d = -6; d <= 6; d++) {
            total += Math.exp(-d * d / 8.0);
        }
        assertThat((double) blurred[10 * 20 + 10]).isCloseTo(1 / (total * total), within(1e-6));
        assertThat(blurred[10 * 20 + 12]).isEqualTo(blurred[10 * 20 + 8]).isEqualTo(blurred[12 * 20 + 10]);
        assertThat((double) blurred[10 * 20 + 17]).isZero(); // 7 px away: beyond the radius
    }
}
