package io.saliencystudio.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussianBlurTest {

    @Test
    void kernelIsANormalisedGaussianTruncatedAtThreeSigma() {
        double[] k = GaussianBlur.kernel(1.0);
        assertThat(k).hasSize(7);
        double z = 0;
        for (int i = -3; i <= 3; i++) {
            z += Math.exp(-i * i / 2.0);
        }
        for (int i = -3; i <= 3; i++) {
            assertThat(k[i + 3]).isCloseTo(Math.exp(-i * i / 2.0) / z, within(1e-12));
        }
        assertThat(GaussianBlur.kernel(2.15)).hasSize(2 * 7 + 1);
    }

    @Test
    void anExplicitRadiusKeepsTheShapeAndRenormalises() {
        double[] k = GaussianBlur.kernel(1.5, 2);
        double z = 0;
        for (int i = -2; i <= 2; i++) {
            z += Math.exp(-i * i / (2 * 1.5 * 1.5));
        }
        assertThat(k).hasSize(5);
        for (int i = -2; i <= 2; i++) {
            assertThat(k[i + 2]).isCloseTo(Math.exp(-i * i / (2 * 1.5 * 1.5)) / z, within(1e-15));
        }
        assertThat(GaussianBlur.kernel(1.0, 0)).containsExactly(1.0);
        assertThat(GaussianBlur.kernel(1.0)).containsExactly(GaussianBlur.kernel(1.0, 3));
    }

    @Test
    void anImpulseSpreadsAsTheOuterProductOfTheKernel() {
        float[] img = new float[9 * 9];
        img[4 * 9 + 4] = 1;
        float[] out = GaussianBlur.blur(img, 1, 9, 9, 1.0);
        double[] k = GaussianBlur.kernel(1.0);
        for (int dy = -3; dy <= 3; dy++) {
            for (int dx = -3; dx <= 3; dx++) {
                assertThat(out[(4 + dy) * 9 + 4 + dx]).isCloseTo((float) (k[dy + 3] * k[dx + 3]), within(1e-7f));
            }
        }
        assertThat(out[0]).isZero();
    }

    @Test
    void edgesAreClampedSoAConstantImageStaysConstant() {
        float[] img = new float[2 * 5 * 6];
        for (int i = 0; i < img.length; i++) {
            img[i] = i < 30 ? 0.25f : -1.5f;
        }
        float[] out = GaussianBlur.blur(img, 2, 5, 6, 2.0);
        for (int i = 0; i < out.length; i++) {
            assertThat(out[i]).isCloseTo(i < 30 ? 0.25f : -1.5f, within(1e-6f));
        }
        // an impulse in the corner keeps the weight of every neighbour clamped onto it
        float[] corner = new float[9 * 9];
        corner[0] = 1;
        double[] k = GaussianBlur.kernel(1.0);
        double edge = k[0] + k[1] + k[2] + k[3];
        assertThat(GaussianBlur.blur(corner, 1, 9, 9, 1.0)[0]).isCloseTo((float) (edge * edge), within(1e-7f));
    }
}
