package io.saliencystudio.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    /**
     * A 6x4 image whose channel c holds {@code ((y*6 + x)*7 + c*5) % 23 * 10}, the same planes the PIL references
     * below were computed from.
     */
    private static RgbImage sixByFour() {
        float[] d = new float[6 * 4 * 3];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 6; x++) {
                for (int c = 0; c < 3; c++) {
                    d[(y * 6 + x) * 3 + c] = ((y * 6 + x) * 7 + c * 5) % 23 * 10f;
                }
            }
        }
        return new RgbImage(6, 4, d);
    }

    /*
     * References produced with Debian's Pillow 9.4 in mode "F" (float32, so no 8-bit rounding):
     *   /usr/bin/python3 -c 'from PIL import Image; import numpy as np;
     *     p = np.array([[((y*6+x)*7 + c*5) % 23 * 10.0 for x in range(6)] for y in range(4)], dtype=np.float32);
     *     print(np.asarray(Image.fromarray(p, mode="F").resize((3, 2), Image.BILINEAR)).ravel())'
     * one line per channel c = 0, 1, 2, row-major.
     */
    private static final float[][] PIL_3X2 = {
        {91.83673095703125f, 125.89286041259766f, 88.36734771728516f, 141.63265991210938f, 104.10713958740234f, 95.91836547851562f},
        {85.51020050048828f, 130.7142791748047f, 110.2040786743164f, 93.06122589111328f, 117.14286041259766f, 103.67346954345703f},
        {107.34693908691406f, 94.46428680419922f, 141.42857360839844f, 100.81632232666016f, 105.53571319580078f, 92.65306091308594f},
    };

    /** Same, {@code .resize((9, 5), Image.BILINEAR)}. */
    private static final float[][] PIL_9X5 = {
        {0.0f, 35.0f, 81.66666412353516f, 128.3333282470703f, 175.0f, 183.3333282470703f, 76.66666412353516f, 85.0f, 120.0f,
            133.0f, 87.5f, 53.66666793823242f, 100.33333587646484f, 147.0f, 155.3333282470703f, 48.66666793823242f, 57.0f, 92.0f,
            170.0f, 147.5f, 117.5f, 87.5f, 115.0f, 142.5f, 112.5f, 82.5f, 60.0f,
            138.0f, 173.0f, 181.3333282470703f, 74.66666412353516f, 83.0f, 129.6666717529297f, 176.3333282470703f, 108.0f, 28.0f,
            110.0f, 145.0f, 153.3333282470703f, 46.66666793823242f, 55.0f, 101.66666412353516f, 148.3333282470703f, 80.0f, 0.0f},
        {50.0f, 85.0f, 131.6666717529297f, 178.3333282470703f, 110.0f, 41.66666793823242f, 88.33333587646484f, 135.0f, 170.0f,
            22.0f, 57.0f, 103.66666412353516f, 150.3333282470703f, 162.5f, 147.8333282470703f, 87.16666412353516f, 107.0f, 142.0f,
            105.0f, 82.5f, 71.66666412353516f, 118.33332824707031f, 165.0f, 173.3333282470703f, 66.66666412353516f, 75.0f, 110.0f,
            188.0f, 108.0f, 39.66666793823242f, 86.33333587646484f, 133.0f, 152.8333282470703f, 92.16666412353516f, 77.5f, 78.0f,
            160.0f, 80.0f, 11.666666984558105f, 58.33333206176758f, 105.0f, 151.6666717529297f, 198.3333282470703f, 130.0f, 50.0f},
        {100.0f, 135.0f, 143.3333282470703f, 36.66666793823242f, 45.0f, 91.66666412353516f, 138.3333282470703f, 185.0f, 220.0f,
            72.0f, 107.0f, 142.1666717529297f, 142.8333282470703f, 97.5f, 63.66666793823242f, 110.33333587646484f, 157.0f, 192.0f,
            40.0f, 75.0f, 121.66667175292969f, 168.3333282470703f, 100.0f, 31.666667938232422f, 78.33333587646484f, 125.0f, 160.0f,
            77.0f, 77.5f, 89.66666412353516f, 136.3333282470703f, 102.5f, 57.166664123535156f, 57.83333206176758f, 93.0f, 128.0f,
            210.0f, 130.0f, 61.66666793823242f, 108.33333587646484f, 155.0f, 163.3333282470703f, 56.66666793823242f, 65.0f, 100.0f},
    };

    private static float[] channel(RgbImage img, int c) {
        float[] out = new float[img.width() * img.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = img.data()[i * 3 + c];
        }
        return out;
    }

    @Test
    void downscalingMatchesPilBilinear() {
        RgbImage out = Resampler.resize(sixByFour(), 3, 2);

        assertThat(out.width()).isEqualTo(3);
        assertThat(out.height()).isEqualTo(2);
        for (int c = 0; c < 3; c++) {
            assertThat(channel(out, c)).as("channel %d", c).containsExactly(PIL_3X2[c], within(1e-4f));
        }
    }

    @Test
    void upscalingMatchesPilBilinear() {
        RgbImage out = Resampler.resize(sixByFour(), 9, 5);

        assertThat(out.width()).isEqualTo(9);
        assertThat(out.height()).isEqualTo(5);
        for (int c = 0; c < 3; c++) {
            assertThat(channel(out, c)).as("channel %d", c).containsExactly(PIL_9X5[c], within(1e-4f));
        }
    }

    @Test
    void sameSizeReturnsTheImageUnchanged() {
        RgbImage src = sixByFour();

        RgbImage out = Resampler.resize(src, 6, 4);

        assertThat(out).isSameAs(src);
        assertThat(out.get(1, 0, 0)).isEqualTo(70f);
    }

    @Test
    void resizingOneAxisOnlyLeavesTheOtherUntouched() {
        // 6 -> 3 along x only: each output is a triangle-weighted mean of 4 inputs (weights 1/8, 3/8, 3/8, 1/8 around
        // centre 1.0, 3.0, 5.0 in input pixels), clamped at the edges. Row 0 of channel 0 is 0, 70, 140, 210, 50, 120.
        RgbImage out = Resampler.resize(sixByFour(), 3, 4);

        // x=0: inputs 0..1 with weights 3/8, 3/8 (and 1/8 beyond the right) -> (3*0 + 3*70 + 1*140) / 7 = 50
        assertThat(out.get(0, 0, 0)).isCloseTo(50f, within(1e-4f));
        // x=1: (1*70 + 3*140 + 3*210 + 1*50) / 8 = 146.25
        assertThat(out.get(1, 0, 0)).isCloseTo(146.25f, within(1e-4f));
        // x=2: (1*210 + 3*50 + 3*120) / 7 = 102.857...
        assertThat(out.get(2, 0, 0)).isCloseTo(720f / 7f, within(1e-4f));
    }

    @Test
    void constantImagesStayConstant() {
        float[] d = new float[5 * 3 * 3];
        java.util.Arrays.fill(d, 42.5f);

        RgbImage up = Resampler.resize(new RgbImage(5, 3, d), 17, 11);
        RgbImage down = Resampler.resize(new RgbImage(5, 3, d), 2, 1);

        for (float v : up.data()) {
            assertThat(v).isCloseTo(42.5f, within(1e-4f));
        }
        assertThat(down.data()).containsExactly(new float[] {42.5f, 42.5f, 42.5f, 42.5f, 42.5f, 42.5f}, within(1e-4f));
    }

    @Test
    void cropCopiesTheWindow() {
        RgbImage out = Resampler.crop(sixByFour(), 2, 1, 3, 2);

        assertThat(out.width()).isEqualTo(3);
        assertThat(out.height()).isEqualTo(2);
        // channel 0 rows 1 and 2, columns 2..4: 100, 170, 10 / 60, 130, 200
        assertThat(channel(out, 0)).containsExactly(100f, 170f, 10f, 60f, 130f, 200f);
        assertThat(out.get(0, 0, 1)).isEqualTo(150f);
    }
}
