package io.saliencystudio.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OrientationTest {

    /** 3x2 image with grey values 1 2 3 / 4 5 6 (all channels equal, channel 1 offset by 10 to catch mix-ups). */
    private static RgbImage image() {
        float[] d = new float[18];
        for (int i = 0; i < 6; i++) {
            d[i * 3] = i + 1;
            d[i * 3 + 1] = i + 11;
            d[i * 3 + 2] = i + 1;
        }
        return new RgbImage(3, 2, d);
    }

    private static float[] red(RgbImage img) {
        float[] out = new float[img.width() * img.height()];
        for (int i = 0; i < out.length; i++) {
            out[i] = img.data()[i * 3];
            assertThat(img.data()[i * 3 + 1]).isEqualTo(out[i] + 10);
        }
        return out;
    }

    /**
     * References from Pillow 9.4's {@code ImageOps.exif_transpose} on the same 3x2 image with each orientation tag
     * (/usr/bin/python3, image {@code [[1, 2, 3], [4, 5, 6]]} in mode "L").
     */
    @Test
    void everyOrientationMatchesPilExifTranspose() {
        float[][] expected = {
            null,
            {1, 2, 3, 4, 5, 6},
            {3, 2, 1, 6, 5, 4},
            {6, 5, 4, 3, 2, 1},
            {4, 5, 6, 1, 2, 3},
            {1, 4, 2, 5, 3, 6},
            {4, 1, 5, 2, 6, 3},
            {6, 3, 5, 2, 4, 1},
            {3, 6, 2, 5, 1, 4},
        };
        for (int o = 1; o <= 8; o++) {
            RgbImage out = Orientation.apply(image(), o);
            boolean swapped = o >= 5;
            assertThat(out.width()).as("orientation %d width", o).isEqualTo(swapped ? 2 : 3);
            assertThat(out.height()).as("orientation %d height", o).isEqualTo(swapped ? 3 : 2);
            assertThat(red(out)).as("orientation %d", o).containsExactly(expected[o]);
        }
    }

    @Test
    void unknownOrientationValuesLeaveTheImageAlone() {
        RgbImage img = image();

        assertThat(Orientation.apply(img, 0)).isSameAs(img);
        assertThat(Orientation.apply(img, 9)).isSameAs(img);
        assertThat(Orientation.apply(img, 1)).isSameAs(img);
        assertThat(red(img)).containsExactly(1, 2, 3, 4, 5, 6);
    }
}
