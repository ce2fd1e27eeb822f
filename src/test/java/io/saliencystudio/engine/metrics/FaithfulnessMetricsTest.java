package io.saliencystudio.engine.metrics;

import io.saliencystudio.engine.image.GaussianBlur;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.metrics.FakeNetworks.MeanNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Deletion, insertion and average drop against a network whose score is the mean of the input: curves known by hand. */
class FaithfulnessMetricsTest {

    private static final FaithfulnessSettings LOGIT_ONE_PIXEL = new FaithfulnessSettings(1, false, 1.0);

    private static Heatmap map(float[] raw) {
        return MapMath.saliency(raw, (int) Math.sqrt(raw.length), (int) Math.sqrt(raw.length));
    }

    @Test
    void deletionRemovesTheHighestRankedPixelsFirst() {
        MeanNetwork net = new MeanNetwork(1, 2, 2, 16);
        float[] input = {4, 1, 3, 2};
        Faithfulness f = FaithfulnessMetrics.evaluate(net, input, 0, map(input), LOGIT_ONE_PIXEL, Progress.NONE);
        // order 0 (4), 2 (3), 3 (2), 1 (1): the mean falls 10/4, 6/4, 3/4, 1/4, 0
        assertThat(f.deletion().fractions()).containsExactly(0, 0.25, 0.5, 0.75, 1.0);
        assertThat(f.deletion().scores()).containsExactly(new double[] {2.5, 1.5, 0.75, 0.25, 0}, within(1e-6));
        assertThat(f.deletion().auc()).isCloseTo(0.25 * (2 + 1.125 + 0.5 + 0.125), within(1e-6));
        assertThat(f.originalScore()).isCloseTo(2.5, within(1e-6));
    }

    @Test
    void insertionCopiesRankedPixelsOntoTheBlurredImage() {
        MeanNetwork net = new MeanNetwork(1, 3, 3, 4);
        float[] input = {0, 0, 0, 0, 9, 0, 0, 0, 0};
        float[] ranking = {0, 1, 2, 3, 8, 5, 6, 7, 4}; // pixel 4 first, then 7, 6, 5, 8, 3, 2, 1, 0
        FaithfulnessSettings s = new FaithfulnessSettings(1, false, 1.0);
        Faithfulness f = FaithfulnessMetrics.evaluate(net, input, 0, map(ranking), s, Progress.NONE);
        float[] blurred = GaussianBlur.blur(input, 1, 3, 3, 1.0);
        double start = mean(blurred);
        // the mean network is linear: each step adds (input - blurred) of the pixel it copies
        int[] order = {4, 7, 6, 5, 8, 3, 2, 1, 0};
        double expected = start;
        assertThat(f.insertion().scores()[0]).isCloseTo(start, within(1e-6));
        for (int k = 0; k < order.length; k++) {
            expected += (input[order[k]] - blurred[order[k]]) / 9.0;
            assertThat(f.insertion().scores()[k + 1]).as("after %d pixels", k + 1).isCloseTo(expected, within(1e-5));
        }
        assertThat(f.insertion().scores()[9]).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void lastStepReachesAllPixelsWhenTheStepDoesNotDivideThem() {
        MeanNetwork net = new MeanNetwork(3, 2, 2, 16);
        float[] input = new float[12];
        java.util.Arrays.fill(input, 1f);
        Faithfulness f = FaithfulnessMetrics.evaluate(net, input, 0, map(new float[] {1, 2, 3, 4}),
                new FaithfulnessSettings(3, false, 1.0), Progress.NONE);
        assertThat(f.deletion().fractions()).containsExactly(0, 0.75, 1.0);
        assertThat(f.deletion().scores()).containsExactly(new double[] {1, 0.25, 0}, within(1e-6));
        // every channel of a pixel goes at once; a constant image blurs to itself, so insertion stays at 1
        assertThat(f.insertion().scores()).containsExactly(new double[] {1, 1, 1}, within(1e-6));
        assertThat(f.insertion().auc()).isCloseTo(1.0, within(1e-6));
    }

    @Test
    void defaultStepIsOneRowAndScoresAreProbabilities() {
        MeanNetwork net = new MeanNetwork(1, 4, 4, 16);
        float[] input = new float[16];
        java.util.Arrays.fill(input, 2f);
        Faithfulness f = FaithfulnessMetrics.evaluate(net, input, 0, map(new float[16]), FaithfulnessSettings.RISE,
                Progress.NONE);
        assertThat(f.deletion().fractions()).containsExactly(0, 0.25, 0.5, 0.75, 1.0);
        // logits (mean, 0): probability of class 0 = sigmoid(mean)
        for (int k = 0; k <= 4; k++) {
            double mean = 2.0 * (4 - k) / 4;
            assertThat(f.deletion().scores()[k]).isCloseTo(1 / (1 + Math.exp(-mean)), within(1e-6));
        }
    }

    @Test
    void averageDropMultipliesTheNormalisedMapIntoTheInput() {
        MeanNetwork net = new MeanNetwork(3, 2, 2, 16);
        float[] input = {1, 1, 1, 1, 3, 3, 3, 3, 2, 2, 2, 2};
        Heatmap m = map(new float[] {2, 1, 0, 1}); // normalised 1, .5, 0, .5
        Faithfulness f = FaithfulnessMetrics.evaluate(net, input, 0, m, LOGIT_ONE_PIXEL, Progress.NONE);
        assertThat(f.originalScore()).isCloseTo(2.0, within(1e-6));
        assertThat(f.maskedScore()).isCloseTo((2 * 1 + 2 * 3 + 2 * 2) / 12.0, within(1e-6));
        assertThat(f.averageDrop()).isCloseTo(0.5, within(1e-6));
        assertThat(f.increase()).isFalse();

        float[] negative = new float[12];
        java.util.Arrays.fill(negative, -1f);
        Faithfulness up = FaithfulnessMetrics.evaluate(net, negative, 0, m, LOGIT_ONE_PIXEL, Progress.NONE);
        assertThat(up.maskedScore()).isGreaterThan(up.originalScore());
        assertThat(up.increase()).isTrue();
        assertThat(up.averageDrop()).isZero();
    }

    @Test
    void signedMapsMaskWithTheirPositivePart() {
        Heatmap signed = MapMath.signed(new float[] {-2, 1, 0.5f, 0}, 2, 2);
        assertThat(FaithfulnessMetrics.explanationMask(signed)).containsExactly(0f, 1f, 0.5f, 0f);
        assertThat(FaithfulnessMetrics.rankPixels(signed.raw())).containsExactly(1, 2, 3, 0);
        Heatmap broken = new Heatmap(2, 1, new float[] {1, Float.NaN}, new float[] {1, Float.NaN}, 1, 1);
        assertThat(FaithfulnessMetrics.explanationMask(broken)).containsExactly(1f, 0f);
    }

    @Test
    void tiesKeepPixelOrderAndNanRanksLast() {
        assertThat(FaithfulnessMetrics.rankPixels(new float[] {1, 3, 3, Float.NaN, 2, 1}))
                .containsExactly(1, 2, 4, 0, 5, 3);
    }

    @Test
    void forwardsGoInBatchesWithProgressBetweenThem() {
        MeanNetwork net = new MeanNetwork(1, 2, 2, 3);
        List<Long> done = new ArrayList<>();
        Progress p = (d, total, what) -> {
            assertThat(total).isEqualTo(11); // masked + 5 deletion + 5 insertion
            done.add(d);
        };
        FaithfulnessMetrics.evaluate(net, new float[4], 0, map(new float[] {1, 2, 3, 4}), LOGIT_ONE_PIXEL, p);
        assertThat(net.calls).containsExactly(3, 3, 3, 2);
        assertThat(done).containsExactly(0L, 3L, 6L, 9L, 11L);
    }

    @Test
    void cancellingStopsBetweenBatches() {
        MeanNetwork net = new MeanNetwork(1, 2, 2, 3);
        Progress cancelAfterFirst = new Progress() {
            @Override
            public void report(long d, long total, String what) {}

            @Override
            public boolean cancelled() {
                return !net.calls.isEmpty();
            }
        };
        assertThatThrownBy(() -> FaithfulnessMetrics.evaluate(net, new float[4], 0, map(new float[4]),
                LOGIT_ONE_PIXEL, cancelAfterFirst)).isInstanceOf(CancellationException.class);
        assertThat(net.calls).hasSize(1);
    }

    @Test
    void mapsMustBeAtInputResolution() {
        MeanNetwork net = new MeanNetwork(1, 4, 4, 3);
        assertThatThrownBy(() -> FaithfulnessMetrics.evaluate(net, new float[16], 0, map(new float[4]),
                LOGIT_ONE_PIXEL, Progress.NONE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input resolution");
    }

    private static double mean(float[] a) {
        double s = 0;
        for (float v : a) {
            s += v;
        }
        return s / a.length;
    }
}
