package io.saliencystudio.engine.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class MapMathTest {

    /**
     * Reference produced with Debian's torch 1.13:
     * <pre>
     * /usr/bin/python3 -c 'import torch, torch.nn.functional as F;
     *   x = torch.tensor([[1., 2., 4.], [8., 16., 32.]]).reshape(1, 1, 2, 3);
     *   print(F.interpolate(x, size=(5, 7), mode="bilinear", align_corners=False))'
     * </pre>
     */
    private static final float[] TORCH_2X3_TO_5X7 = {
        1.0f, 1.1428571939468384f, 1.5714285373687744f, 2.0f, 2.857142925262451f, 3.7142858505249023f, 4.0f,
        1.7000000476837158f, 1.942857265472412f, 2.671428680419922f, 3.4000000953674316f, 4.857142925262451f, 6.314286231994629f, 6.800000190734863f,
        4.5f, 5.142857074737549f, 7.0714287757873535f, 9.0f, 12.85714340209961f, 16.714284896850586f, 18.0f,
        7.300000190734863f, 8.342857360839844f, 11.471428871154785f, 14.600001335144043f, 20.85714340209961f,
        27.114286422729492f, 29.200000762939453f,
        8.0f, 9.142857551574707f, 12.571428298950195f, 16.0f, 22.85714340209961f, 29.71428680419922f, 32.0f,
    };

    @Test
    void bilinearUpsamplingEqualsTorchInterpolateAlignCornersFalse() {
        float[] src = {1, 2, 4, 8, 16, 32};

        float[] out = MapMath.bilinear(src, 3, 2, 7, 5);

        assertThat(out).containsExactly(TORCH_2X3_TO_5X7, within(1e-5f));
    }

    /** The 7x7 map is {@code ((y*7+x)*13 % 17)/4 - 2}, exact in float32. */
    private static float[] map7x7() {
        float[] m = new float[49];
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) {
                m[y * 7 + x] = ((y * 7 + x) * 13 % 17) / 4f - 2f;
            }
        }
        return m;
    }

    /**
     * Reference pixels produced with:
     * <pre>
     * /usr/bin/python3 -c 'import torch, torch.nn.functional as F;
     *   g = torch.tensor([[((y*7+x)*13 % 17)/4.0 - 2.0 for x in range(7)] for y in range(7)]).reshape(1, 1, 7, 7);
     *   z = F.interpolate(g, size=(224, 224), mode="bilinear", align_corners=False); print(z[0, 0, y, x].item())'
     * </pre>
     */
    @Test
    void bilinear7x7To224MatchesTorchAtSampledPixels() {
        float[] out = MapMath.bilinear(map7x7(), 7, 7, 224, 224);

        assertThat(out).hasSize(224 * 224);
        // {y, x, value}
        double[][] reference = {
            {0, 0, -2.0},
            {0, 223, 0.5},
            {223, 0, -1.5},
            {223, 223, 1.0},
            {15, 16, -1.94921875},
            {100, 37, 0.39569091796875},
            {111, 112, -0.53802490234375},
            {200, 150, -0.14764404296875},
            {50, 200, 1.10125732421875},
            {7, 9, -2.0},
        };
        for (double[] r : reference) {
            int y = (int) r[0];
            int x = (int) r[1];
            assertThat(out[y * 224 + x]).as("pixel (y=%d, x=%d)", y, x).isCloseTo((float) r[2], within(1e-5f));
        }
    }

    @Test
    void bilinearDownsamplingAveragesTheTwoNearestSamplesLikeTorch() {
        // torch: F.interpolate([0, 2, 4, 8] as 1x4, size=(1, 2), bilinear, align_corners=False) -> [1, 6]
        assertThat(MapMath.bilinear(new float[] {0, 2, 4, 8}, 4, 1, 2, 1)).containsExactly(1f, 6f);
        // torch: [0, 1] as 2x1 -> 3x1 gives [0, 0.5, 1]
        assertThat(MapMath.bilinear(new float[] {0, 1}, 1, 2, 1, 3)).containsExactly(0f, 0.5f, 1f);
    }

    @Test
    void bilinearToTheSameSizeCopiesTheMap() {
        float[] m = map7x7();
        assertThat(MapMath.bilinear(m, 7, 7, 7, 7)).containsExactly(m);
    }

    @Test
    void saliencyIsMinMaxNormalised() {
        float[] raw = {2, 4, 6, 10};

        Heatmap h = MapMath.saliency(raw, 2, 2);

        // (S - 2) / (8 + 1e-8): the epsilon vanishes next to 8 in float32
        assertThat(h.values()).containsExactly(0f, 0.25f, 0.5f, 1f);
        assertThat(h.raw()).containsExactly(2f, 4f, 6f, 10f);
        assertThat(h.rawMin()).isEqualTo(2f);
        assertThat(h.rawMax()).isEqualTo(10f);
        assertThat(h.width()).isEqualTo(2);
        assertThat(h.height()).isEqualTo(2);
        assertThat(h.isBlank()).isFalse();
        assertThat(h.value(1, 1)).isEqualTo(1f);
        assertThat(h.argMax()).isEqualTo(3);
    }

    @Test
    void saliencyEpsilonKeepsATinyRangeBelowOne() {
        // (1e-8 - 0) / (1e-8 - 0 + 1e-8) = 0.5
        Heatmap h = MapMath.saliency(new float[] {0f, 1e-8f}, 2, 1);

        assertThat(h.values()).containsExactly(0f, 0.5f);
    }

    @Test
    void gradCamSubtractsTheMinThenDividesByTheMax() {
        Heatmap h = MapMath.gradCam(new float[] {2, 3, 6, 4}, 4, 1);

        // (v - 2) / max(4, 1e-8)
        assertThat(h.values()).containsExactly(0f, 0.25f, 1f, 0.5f);
        assertThat(h.rawMin()).isEqualTo(2f);
        assertThat(h.rawMax()).isEqualTo(6f);
        assertThat(h.raw()).containsExactly(2f, 3f, 6f, 4f);
    }

    @Test
    void gradCamEpsilonFloorsTheDivisorAt1e8() {
        // (1e-9 - 0) / max(1e-9, 1e-8) = 0.1 (saliency would give about 0.09)
        Heatmap h = MapMath.gradCam(new float[] {0f, 1e-9f}, 1, 2);

        assertThat(h.values()[0]).isEqualTo(0f);
        assertThat(h.values()[1]).isCloseTo(0.1f, within(1e-6f));
    }

    @Test
    void constantMapsNormaliseToZerosAndAreBlank() {
        Heatmap sal = MapMath.saliency(new float[] {5, 5, 5, 5, 5, 5}, 3, 2);
        Heatmap cam = MapMath.gradCam(new float[] {0, 0, 0, 0}, 2, 2);

        assertThat(sal.values()).containsOnly(0f).hasSize(6);
        assertThat(sal.isBlank()).isTrue();
        assertThat(sal.rawMin()).isEqualTo(5f);
        assertThat(sal.rawMax()).isEqualTo(5f);
        assertThat(cam.values()).containsOnly(0f).hasSize(4);
        assertThat(cam.isBlank()).isTrue();
    }

    @Test
    void upsampleResizesRawAndValuesAndKeepsTheRawRange() {
        Heatmap small = MapMath.gradCam(new float[] {2, 6}, 2, 1);

        Heatmap big = MapMath.upsample(small, 4, 1);

        assertThat(big.width()).isEqualTo(4);
        assertThat(big.height()).isEqualTo(1);
        // torch: [2, 6] -> [2, 3, 5, 6]; normalised [0, 1] -> [0, 0.25, 0.75, 1]
        assertThat(big.raw()).containsExactly(2f, 3f, 5f, 6f);
        assertThat(big.values()).containsExactly(0f, 0.25f, 0.75f, 1f);
        assertThat(big.rawMin()).isEqualTo(2f);
        assertThat(big.rawMax()).isEqualTo(6f);
    }

    @Test
    void upsampleOfA7x7MapMatchesBilinearOfItsValues() {
        Heatmap small = MapMath.saliency(map7x7(), 7, 7);

        Heatmap big = MapMath.upsample(small, 224, 224);

        assertThat(big.rawMin()).isEqualTo(-2f);
        assertThat(big.rawMax()).isEqualTo(2f);
        // torch value at (15, 16) is -1.94921875 in raw units: normalised (v + 2) / 4
        assertThat(big.raw()[15 * 224 + 16]).isCloseTo(-1.94921875f, within(1e-5f));
        assertThat(big.values()[15 * 224 + 16]).isCloseTo((-1.94921875f + 2f) / 4f, within(1e-5f));
    }

    @Test
    void rangeReturnsMinAndMax() {
        assertThat(MapMath.range(new float[] {3, -1.5f, 7, 0})).containsExactly(-1.5f, 7f);
    }

    @Test
    void cellsAtPlainCentresGiveExactlyThePlainUpsampling() {
        java.util.Random r = new java.util.Random(3);
        for (int[] size : new int[][] {{7, 7, 224, 224}, {6, 6, 96, 96}, {3, 5, 28, 40}}) {
            int h = size[0], w = size[1], outH = size[2], outW = size[3];
            float[] grid = new float[h * w];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = r.nextFloat();
            }
            var rf = new io.saliencystudio.engine.model.ReceptiveField((double) outH / h, (double) outW / w,
                    0.5 * outH / h, 0.5 * outW / w);
            assertThat(rf.matchesPlainUpsampling(h, w, outH, outW)).isTrue();
            float[] plain = MapMath.bilinear(grid, w, h, outW, outH);
            float[] centred = MapMath.atCentres(grid, w, h, outW, outH, rf);
            for (int i = 0; i < plain.length; i++) {
                assertThat(centred[i]).as("pixel %d of %dx%d", i, outW, outH).isCloseTo(plain[i], within(1e-6f));
            }
        }
    }

    @Test
    void cellsAtTheirReceptiveFieldCentresMoveTheMapAndHoldTheEdges() {
        // Two cells of a stride-16 layer whose centres lie at x = 0.5 and 16.5 (plain upsampling: 8 and 24).
        float[] grid = {0, 1};
        var rf = new io.saliencystudio.engine.model.ReceptiveField(16, 16, 0.5, 0.5);
        float[] out = MapMath.atCentres(grid, 2, 1, 32, 1, rf);
        assertThat(out[0]).isEqualTo(0f);                       // centre of cell 0
        assertThat(out[8]).isCloseTo(0.5f, within(1e-6f));      // half way between the centres
        assertThat(out[16]).isEqualTo(1f);                      // centre of cell 1
        assertThat(out[31]).isEqualTo(1f);                      // held beyond the last centre
        float[] plain = MapMath.bilinear(grid, 2, 1, 32, 1);
        assertThat(plain[16]).isCloseTo(0.53125f, within(1e-6f)); // plain upsampling is still half way up there
        // Rows follow their own stride and centre.
        var tall = new io.saliencystudio.engine.model.ReceptiveField(4, 16, 3.5, 0.5);
        float[] column = MapMath.atCentres(new float[] {0, 1}, 1, 2, 1, 10, tall);
        assertThat(column).containsExactly(0f, 0f, 0f, 0f, 0.25f, 0.5f, 0.75f, 1f, 1f, 1f);
    }
}
