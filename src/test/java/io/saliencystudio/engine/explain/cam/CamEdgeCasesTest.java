package io.saliencystudio.engine.explain.cam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.GradientPass;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** The CAM methods' edge cases on a fake network (pure Java): values computed by hand from the papers' formulas. */
class CamEdgeCasesTest {

    private static final InputSpec GREY_4X4 = new InputSpec(1, 4, 4, InputSpec.ColorMode.GRAY);

    private static LayerTap tap(int channels) {
        return new LayerTap(0, List.of("layer"), channels, 2, 2);
    }

    private static AttributionContext context(FakeNetwork net, float[] input, int target, GradientPass pass,
            LayerTap tap, Progress progress) {
        return new AttributionContext(net, List.of(input), new int[] {target}, pass, tap, MethodSettings.DEFAULTS,
                progress);
    }

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------------- Score-CAM

    /** Channel 0 varies along x, channel 1 is constant, channel 2 varies along y (2x2 maps, 4x4 input). */
    private static final float[] SCORE_A = {0, 1, 0, 1, 2, 2, 2, 2, 0, 0, 3, 3};

    private static FakeNetwork scoreNetwork(int batch) {
        // Two classes: logit 0 = sum(x) / 10, logit 1 = 0, so softmax[0] = sigmoid(sum(x) / 10).
        return new FakeNetwork(GREY_4X4, 2, batch, x -> new float[] {(float) (sum(x) / 10), 0f}, a -> null,
                SCORE_A, new float[12]);
    }

    @Test
    void scoreCamSkipsConstantChannelsAndWeightsByTheMaskedClassProbability() {
        FakeNetwork net = scoreNetwork(1);
        float[] x = ramp(16);
        List<Long> reported = new ArrayList<>();
        Progress progress = (done, total, what) -> reported.add(done);
        // A multi-pass method's shared pass has logits but no activation: Score-CAM reads A with one pass of its own.
        GradientPass pass = new GradientPass(new float[][] {{0, 0}}, new int[] {0}, null, null, null);
        RawMap map = new ScoreCam().compute(context(net, x, 0, pass, tap(3), progress), 0);

        assertThat(net.gradientCalls).isEqualTo(1);
        assertThat(map.details()).containsEntry("skippedChannels", 1).containsEntry("maskedForwards", 2);
        assertThat(net.batches).containsExactly(1, 1);
        assertThat(reported).containsExactly(0L, 1L, 3L);
        // Bilinear 2 -> 4 with half-pixel centres samples the 2-pixel ramp at 0, 0.25, 0.75, 1 (already in [0, 1]).
        float[] ramp4 = {0f, 0.25f, 0.75f, 1f};
        float[] alongX = net.seenInputs.get(0);
        float[] alongY = net.seenInputs.get(1);
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                assertThat(alongX[r * 4 + c]).isCloseTo(x[r * 4 + c] * ramp4[c], within(1e-6f));
                assertThat(alongY[r * 4 + c]).isCloseTo(x[r * 4 + c] * ramp4[r], within(1e-6f));
            }
        }
        double s0 = 1 / (1 + Math.exp(-sum(alongX) / 10));
        double s2 = 1 / (1 + Math.exp(-sum(alongY) / 10));
        for (int p = 0; p < 4; p++) {
            assertThat((double) map.values()[p]).isCloseTo(s0 * SCORE_A[p] + s2 * SCORE_A[8 + p], within(1e-5));
        }
    }

    @Test
    void scoreCamStopsBetweenBatchesWhenCancelled() {
        FakeNetwork net = scoreNetwork(1);
        Progress cancelAfterFirstBatch = new Progress() {
            private int reports;

            @Override
            public void report(long done, long total, String what) {
                reports++;
            }

            @Override
            public boolean cancelled() {
                return reports >= 1; // after the start report: stop before the second batch
            }
        };
        GradientPass pass = new GradientPass(new float[][] {{0, 0}}, new int[] {0}, null, null, null);
        assertThatThrownBy(() -> new ScoreCam().compute(context(net, ramp(16), 0, pass, tap(3),
                cancelAfterFirstBatch), 0)).isInstanceOf(CancellationException.class);
        assertThat(net.batches).containsExactly(1);
    }

    // ------------------------------------------------------------------------------------------- Ablation-CAM

    @Test
    void ablationCamSkipsAllZeroChannelsAndWeighsTheRelativeDrop() {
        float[] a = {1, 2, 3, 4, 0, 0, 0, 0, 0, 1, 0, 1};
        // Class 0 logit = sum(A_0) + 2 sum(A_1) - 0.5 sum(A_2) + 1 = 10 on the unprobed activation.
        FakeNetwork net = new FakeNetwork(GREY_4X4, 2, 16, x -> new float[] {10f, 0f},
                act -> new float[] {(float) (chSum(act, 0) + 2 * chSum(act, 1) - 0.5 * chSum(act, 2) + 1), 0f},
                a, new float[12]);
        GradientPass pass = new GradientPass(new float[][] {{10f, 0f}}, new int[] {0}, null, null, null);
        RawMap map = new AblationCam().compute(context(net, ramp(16), 0, pass, tap(3), Progress.NONE), 0);

        assertThat(map.details()).containsEntry("skippedChannels", 1).containsEntry("ablatedForwards", 2);
        assertThat(net.seenProbes).hasSize(2);
        assertThat(net.seenProbes.get(0)).containsExactly(new float[] {-1, -2, -3, -4, 0, 0, 0, 0, 0, 0, 0, 0},
                within(0f));
        assertThat(net.seenProbes.get(1)).containsExactly(new float[] {0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0, -1},
                within(0f));
        // y^0 = 0 -> w_0 = (10 - 0) / 10 = 1; y^2 = 11 -> w_2 = (10 - 11) / 10 = -0.1.
        assertThat(map.values()).containsExactly(new float[] {1f, 1.9f, 3f, 3.9f}, within(1e-6f));
    }

    private static double chSum(float[] act, int k) {
        double s = 0;
        for (int p = 0; p < 4; p++) {
            s += act[k * 4 + p];
        }
        return s;
    }

    // ---------------------------------------------------------------------------------------------- Eigen-CAM

    /** A rank-one activation A_k(p) = u_k * (p + 1): its first principal component is u, the projection ~ p - 1.5. */
    private static RawMap eigen(float... u) {
        float[] a = new float[4 * u.length];
        for (int k = 0; k < u.length; k++) {
            for (int p = 0; p < 4; p++) {
                a[k * 4 + p] = u[k] * (p + 1);
            }
        }
        FakeNetwork net = new FakeNetwork(GREY_4X4, 2, 16, x -> new float[2], act -> null, a, new float[a.length]);
        GradientPass pass = new GradientPass(new float[][] {{0, 0}}, new int[] {0}, null, new float[][] {a},
                new float[][] {new float[a.length]});
        return new EigenCam().compute(context(net, ramp(16), 0, pass, tap(u.length), Progress.NONE), 0);
    }

    @Test
    void eigenCamProjectionFollowsTheChannelSum() {
        double norm = Math.sqrt(5);
        // Positive activations grow with p: the map must grow with p (whatever sign the SVD returned).
        assertThat(eigen(1, 2).values()).containsExactly(new float[] {0f, 0f, (float) (0.5 * norm),
                (float) (1.5 * norm)}, within(1e-5f));
        // Negative activations: the channel sum falls with p, so the map must fall with p.
        assertThat(eigen(-1, -2).values()).containsExactly(new float[] {(float) (1.5 * norm),
                (float) (0.5 * norm), 0f, 0f}, within(1e-5f));
        assertThat(eigen(1, 2).details()).containsEntry("classAgnostic", true)
                .containsEntry("signConvention", EigenCam.SIGN_CONVENTION);
    }

    @Test
    void eigenCamGivesTheSameProjectionWithMoreChannelsThanPositions() {
        // 6 channels > 4 positions takes the other Gram matrix (positions x positions): same projection, |u| = 3.
        assertThat(eigen(1, 2, 0, 2, 0, 0).values()).containsExactly(new float[] {0f, 0f, 1.5f, 4.5f},
                within(1e-5f));
        assertThat(eigen(-1, -2, 0, -2, 0, 0).values()).containsExactly(new float[] {4.5f, 1.5f, 0f, 0f},
                within(1e-5f));
    }

    @Test
    void eigenCamTieMakesTheLargestValuePositive() {
        double[] projection = {0.5, -2, 1, 0.5};
        EigenCam.orient(projection, new double[] {1, 1, 1, 1}); // constant channel sum: zero correlation
        assertThat(projection).containsExactly(-0.5, 2, -1, -0.5);
    }

    // --------------------------------------------------------------------------------------------- Grad-CAM++

    private static RawMap gradCamPlusPlus(float[] a, float[] g) {
        FakeNetwork net = new FakeNetwork(GREY_4X4, 2, 16, x -> new float[2], act -> null, a, g);
        GradientPass pass = new GradientPass(new float[][] {{0, 0}}, new int[] {0}, null, new float[][] {a},
                new float[][] {g});
        return new GradCamPlusPlus().compute(context(net, ramp(16), 0, pass, tap(a.length / 4), Progress.NONE), 0);
    }

    @Test
    void gradCamPlusPlusZeroGradientsAndZeroDenominatorsGiveZeroWeights() {
        // Channel 0: sum A = 4, g = 1 at one pixel: alpha = 1 / (2 + 4) and w_0 = 1/6; the negative gradient adds
        // nothing (ReLU). Channel 1: sum A = -2, g = 1: denominator 2 - 2 = 0, so alpha = 0 rather than inf/NaN.
        float[] a = {1, 1, 1, 1, -0.5f, -0.5f, -0.5f, -0.5f};
        float[] g = {1, 0, -1, 0, 1, 0, 0, 0};
        RawMap map = gradCamPlusPlus(a, g);
        // Channel 0's negative gradient: alpha = 1 / (2 - 4) = -0.5, times ReLU(-1) = 0: no contribution.
        assertThat(map.values()).containsExactly(new float[] {1f / 6, 1f / 6, 1f / 6, 1f / 6}, within(1e-7f));
        assertThat(map.details()).containsEntry("zeroDenominators", 1);
        // Channel 1's factor 2 + g sum A = 0 is below 1 where g > 0: one unstable cell, and the map says so.
        assertThat(map.details()).containsEntry("unstableCells", 1);
        assertThat((String) map.details().get("warning")).startsWith("Unstable weights: 1 of 8 cells have a denominator "
                + "near zero, because this layer has negative activations");

        RawMap flat = gradCamPlusPlus(a, new float[8]);
        assertThat(flat.values()).containsOnly(0f);
        assertThat(flat.details()).containsEntry("unstableCells", 0).doesNotContainKey("warning");
    }

    @Test
    void gradCamPlusPlusFlagsNegativeDenominatorsAndStaysQuietAfterAReLU() {
        // Channel 0: sum A = -3, g = 1 at two cells: factor 2 - 3 = -1, alpha = -1 (a flipped sign).
        float[] a = {-1, -1, -0.5f, -0.5f};
        float[] g = {1, 1, 0, 0};
        RawMap map = gradCamPlusPlus(a, g);
        assertThat(map.details()).containsEntry("unstableCells", 2);
        assertThat((String) map.details().get("warning")).contains("2 of 4 cells").contains("or negative (2)");
        // The same gradients on non-negative activations (after a ReLU): factor >= 2 everywhere, no warning.
        RawMap relu = gradCamPlusPlus(new float[] {1, 1, 0.5f, 0.5f}, g);
        assertThat(relu.details()).containsEntry("unstableCells", 0).doesNotContainKey("warning");
    }

    @Test
    void xGradCamFlagsChannelsWhoseActivationsCancel() {
        // Mixed signs alone are fine: channel 0 sums to 1 of its absolute sum 4; channel 1 is non-negative.
        float[] a = {1, -1, 1.5f, -0.5f, 1, 2, 3, 4};
        float[] g = {1, 1, 1, 1, 1, 1, 1, 1};
        FakeNetwork net = new FakeNetwork(GREY_4X4, 2, 16, x -> new float[2], act -> null, a, g);
        GradientPass pass = new GradientPass(new float[][] {{0, 0}}, new int[] {0}, null, new float[][] {a},
                new float[][] {g});
        RawMap map = new XGradCam().compute(context(net, ramp(16), 0, pass, tap(2), Progress.NONE), 0);
        assertThat(map.details()).containsEntry("unstableChannels", 0);
        // Here channel 0 sums to 0.02 of its absolute sum 4.02 (it cancels): its weight divides by 0.02.
        float[] cancelling = {1, -1, 1.02f, -1, 1, 2, 3, 4};
        GradientPass pass2 = new GradientPass(new float[][] {{0, 0}}, new int[] {0}, null, new float[][] {cancelling},
                new float[][] {g});
        RawMap flagged = new XGradCam().compute(context(net, ramp(16), 0, pass2, tap(2), Progress.NONE), 0);
        assertThat(flagged.details()).containsEntry("unstableChannels", 1);
        assertThat((String) flagged.details().get("warning")).startsWith("Unstable weights: 1 of 2 channels");
    }

    // ------------------------------------------------------------------------- element-wise and weighted CAMs

    @Test
    void layerCamDropsNegativeGradientsWhereHiResCamKeepsThem() {
        float[] a = {1, 2, 3, 4, 4, 3, 2, 1};
        float[] g = {1, -1, 1, -1, 0.5f, 0.5f, -0.5f, -0.5f};
        FakeNetwork net = new FakeNetwork(GREY_4X4, 2, 16, x -> new float[2], act -> null, a, g);
        GradientPass pass = new GradientPass(new float[][] {{0, 0}}, new int[] {0}, null, new float[][] {a},
                new float[][] {g});
        AttributionContext ctx = context(net, ramp(16), 0, pass, tap(2), Progress.NONE);
        // LayerCAM: ReLU(g) * A summed: {1+2, 0+1.5, 3+0, 0+0}; HiResCAM: g * A summed, then ReLU.
        assertThat(new LayerCam().compute(ctx, 0).values()).containsExactly(3f, 1.5f, 3f, 0f);
        assertThat(new HiResCam().compute(ctx, 0).values()).containsExactly(3f, 0f, 2f, 0f);
        // XGrad-CAM: w_0 = (1 - 2 + 3 - 4) / 10 = -0.2, w_1 = (2 + 1.5 - 1 - 0.5) / 10 = 0.2.
        assertThat(new XGradCam().compute(ctx, 0).values())
                .containsExactly(new float[] {0.6f, 0.2f, 0f, 0f}, within(1e-6f));
    }
}
