package io.saliencystudio.engine.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.image.RgbImage;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class OverlayTest {

    /** Two pixels: (200, 100, 1) under map value 0 and (10, 250, 128) under map value 1. */
    private static final RgbImage IMAGE = new RgbImage(2, 1, new float[] {200, 100, 1, 10, 250, 128});
    private static final Heatmap MAP = new Heatmap(2, 1, new float[] {0, 1}, new float[] {0, 1}, 0, 1);

    private static int[] rgb(BufferedImage img, int x, int y) {
        int p = img.getRGB(x, y);
        return new int[] {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
    }

    @Test
    void opacityZeroShowsTheImage() {
        BufferedImage out = Overlay.composite(IMAGE, MAP, Colormap.VIRIDIS, 0);

        assertThat(out.getWidth()).isEqualTo(2);
        assertThat(out.getHeight()).isEqualTo(1);
        assertThat(rgb(out, 0, 0)).containsExactly(200, 100, 1);
        assertThat(rgb(out, 1, 0)).containsExactly(10, 250, 128);
    }

    @Test
    void opacityOneShowsTheColormap() {
        BufferedImage out = Overlay.composite(IMAGE, MAP, Colormap.VIRIDIS, 1);

        // viridis 0 = (0.267004, 0.004874, 0.329415) -> (68, 1, 84); viridis 1 = (0.993248, 0.906157, 0.143936) -> (253, 231, 37)
        assertThat(rgb(out, 0, 0)).containsExactly(68, 1, 84);
        assertThat(rgb(out, 1, 0)).containsExactly(253, 231, 37);
    }

    @Test
    void halfOpacityBlendsInFloatAndRoundsOnce() {
        BufferedImage out = Overlay.composite(IMAGE, MAP, Colormap.VIRIDIS, 0.5);

        // pixel 0: (0.5 * 200/255 + 0.5 * 0.267004) * 255 = 134.043, (..100..0.004874) = 50.621, (..1..0.329415) = 42.500
        assertThat(rgb(out, 0, 0)).containsExactly(134, 51, 43);
        // pixel 1: 131.639, 240.535, 82.352. Rounding the colour to 8 bits first, (128 + 37) / 2 = 82.5, would give 83.
        assertThat(rgb(out, 1, 0)).containsExactly(132, 241, 82);
    }

    @Test
    void opacityIsClampedToTheUnitRange() {
        BufferedImage over = Overlay.composite(IMAGE, MAP, Colormap.VIRIDIS, 3.0);
        BufferedImage under = Overlay.composite(IMAGE, MAP, Colormap.VIRIDIS, -1.0);

        assertThat(rgb(over, 0, 0)).containsExactly(68, 1, 84);
        assertThat(rgb(under, 1, 0)).containsExactly(10, 250, 128);
    }

    @Test
    void blendingWithGrayUsesTheMapValueNotItsRank() {
        RgbImage black = RgbImage.blank(2, 1);
        Heatmap map = new Heatmap(2, 1, new float[] {0.2f, 0.6f}, new float[] {0.2f, 0.6f}, 0.2f, 0.6f);

        BufferedImage out = Overlay.composite(black, map, Colormap.GRAY, 0.4);

        // 0.4 * 0.2 * 255 = 20.4 -> 20; 0.4 * 0.6 * 255 = 61.2 -> 61 (not renormalised to the map's range)
        assertThat(rgb(out, 0, 0)).containsExactly(20, 20, 20);
        assertThat(rgb(out, 1, 0)).containsExactly(61, 61, 61);
    }

    @Test
    void sizeMismatchIsRefusedWithBothSizes() {
        Heatmap small = new Heatmap(1, 1, new float[] {0}, new float[] {0}, 0, 0);

        assertThatThrownBy(() -> Overlay.composite(IMAGE, small, Colormap.VIRIDIS, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("image 2x1 and map 1x1 differ in size");
    }

    @Test
    void imageRoundsFloatPixelsToEightBits() {
        RgbImage img = new RgbImage(1, 1, new float[] {127.4f, 127.6f, 255f});

        assertThat(rgb(Overlay.image(img), 0, 0)).containsExactly(127, 128, 255);
    }
}
