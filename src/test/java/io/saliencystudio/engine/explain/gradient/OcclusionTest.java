package io.saliencystudio.engine.explain.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.MethodSettings.Fill;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class OcclusionTest {

    @Test
    void windowsStepByTheStrideAndALastOneSitsFlushWithTheFarEdge() {
        assertThat(Occlusion.positions(10, 4, 3)).containsExactly(0, 3, 6);
        assertThat(Occlusion.positions(11, 4, 3)).containsExactly(0, 3, 6, 7);
        assertThat(Occlusion.positions(28, 3, 1)).hasSize(26).endsWith(25);
        assertThat(Occlusion.positions(5, 8, 2)).containsExactly(0); // a window wider than the image covers it once
    }

    @Test
    void everyPixelIsCoveredAndGetsTheMeanDropOfItsWindows() {
        // f = sum of all inputs, x = 1 everywhere, fill 0: every window drops f by its area, so every pixel's mean
        // drop is exactly the area, including the right and bottom edges the strided windows would miss.
        InputSpec spec = new InputSpec(1, 11, 13, null);
        float[] ones = new float[spec.size()];
        Arrays.fill(ones, 1);
        FakeNetwork net = new FakeNetwork(spec, FakeNetwork.preprocessing(0.5, 0.5), 8, FakeNetwork.linear(ones));
        MethodSettings settings = MethodSettings.DEFAULTS.withOcclusion(new MethodSettings.Occlusion(4, 3, Fill.MEAN));

        RawMap map = new Occlusion().compute(net.context(ones, settings, Progress.NONE), 0);

        assertThat(map.values()).containsOnly(16f);
        // x: 0,3,6,9 (13 - 4 = 9 lands); y: 0,3,6 + 7 (flush): 16 windows plus the unoccluded input, 8 per forward.
        assertThat(map.details()).containsEntry("windows", 16).containsEntry("windowPx", 4).containsEntry("stridePx", 3);
        assertThat(net.logitBatches).containsExactly(8, 8, 1);
    }

    @Test
    void aSinglePixelModelIsAttributedSignedAtThatPixelAndNowhereFarAway() {
        // f = x_p: only windows over p change the score, by x_p - black; the black fill is (0 - 0.25) / 0.5 = -0.5.
        InputSpec spec = new InputSpec(1, 12, 12, null);
        int p = 5 * 12 + 4;
        float[] w = new float[spec.size()];
        w[p] = 1;
        float[] x = new float[spec.size()];
        x[p] = -2;
        FakeNetwork net = new FakeNetwork(spec, FakeNetwork.preprocessing(0.25, 0.5), 64, FakeNetwork.linear(w));
        MethodSettings settings = MethodSettings.DEFAULTS.withOcclusion(new MethodSettings.Occlusion(3, 1, Fill.BLACK));

        RawMap map = new Occlusion().compute(net.context(x, settings, Progress.NONE), 0);

        assertThat((double) map.values()[p]).isCloseTo(-2 - (-0.5), within(1e-6));
        assertThat((double) map.values()[5 * 12 + 5]).isCloseTo(-1.5 * 6 / 9, within(1e-6)); // 6 of its 9 windows hit p
        assertThat((double) map.values()[5 * 12 + 6]).isCloseTo(-1.5 * 3 / 9, within(1e-6));
        assertThat(map.values()[5 * 12 + 7]).isZero();
        assertThat(map.values()[11 * 12 + 11]).isZero();
    }

    @Test
    void defaultWindowIsAnEighthOfTheShorterSideWithHalfOfItAsStride() {
        InputSpec spec = new InputSpec(3, 96, 96, null);
        float[] w = new float[spec.size()];
        FakeNetwork net = new FakeNetwork(spec, FakeNetwork.preprocessing(0.5, 0.25), 500, FakeNetwork.linear(w));

        RawMap map = new Occlusion().compute(net.context(new float[spec.size()], MethodSettings.DEFAULTS, Progress.NONE), 0);

        assertThat(map.details()).containsEntry("windowPx", 12).containsEntry("stridePx", 6).containsEntry("windows", 225);
    }
}
