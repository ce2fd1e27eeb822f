package io.saliencystudio.engine.sanity;

import static io.saliencystudio.engine.sanity.MetricFixtures.grid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Against skimage.metrics.structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
 * data_range=1) (values from src/test/python/sanity_metrics_reference.py).
 */
class SsimTest {

    @Test
    void matchesSkimageOnAFashionMnistSizedMap() {
        float[] x = grid(28, 28, 3, 5, 1, 17, 16.0);
        float[] other = grid(28, 28, 7, 2, 3, 13, 12.0);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) (0.6 * x[i] + 0.4 * other[i]);
        }
        assertThat(Ssim.of(x, y, 28, 28)).isCloseTo(0.815306716961233, within(1e-6));
    }

    @Test
    void matchesSkimageOnAShiftedAndAnInvertedMap() {
        int w = 96;
        int h = 80;
        float[] u = grid(w, h, 1, 1, 0, 50, 49.0);
        float[] shifted = new float[u.length];
        float[] inverted = new float[u.length];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                shifted[r * w + c] = u[r * w + Math.floorMod(c - 2, w)]; // np.roll(u, 2, axis=1)
                inverted[r * w + c] = 1 - u[r * w + c];
            }
        }
        assertThat(Ssim.of(u, shifted, w, h)).isCloseTo(0.459269514153497, within(1e-6));
        assertThat(Ssim.of(u, inverted, w, h)).isCloseTo(-0.544394824732555, within(1e-6));
    }

    @Test
    void identicalMapsScoreOneEvenWhenConstant() {
        float[] x = grid(28, 28, 3, 5, 1, 17, 16.0);
        assertThat(Ssim.of(x, x, 28, 28)).isCloseTo(1.0, within(1e-12));
        assertThat(Ssim.of(new float[64], new float[64], 8, 8)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void theWindowIsTheNormalisedElevenTapGaussian() {
        double[] k = Ssim.kernel(Ssim.RADIUS);
        assertThat(k).hasSize(11);
        double sum = 0;
        for (double v : k) {
            sum += v;
        }
        assertThat(sum).isCloseTo(1.0, within(1e-15));
        assertThat(k[5] / k[4]).isCloseTo(Math.exp(0.5 / (1.5 * 1.5)), within(1e-12));
    }
}
