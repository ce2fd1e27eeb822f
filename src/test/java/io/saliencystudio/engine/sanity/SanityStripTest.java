package io.saliencystudio.engine.sanity;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.render.Overlay;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strip's pixels: one enlarged overlay per step, white gaps, labels above and captions below. */
class SanityStripTest {

    static final int W = 4;
    static final int H = 3;

    static Heatmap map(int step, boolean signed) {
        float[] raw = new float[W * H];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = ((i * (step + 3)) % 7) - (signed ? 3 : 0);
        }
        return signed ? MapMath.signed(raw, W, H) : MapMath.saliency(raw, W, H);
    }

    static SanityReport report() {
        List<SanityStep> steps = new java.util.ArrayList<>();
        List<String> groups = List.of("fc", "layer4.0.downsample", "conv1");
        for (int s = 0; s <= groups.size(); s++) {
            steps.add(new SanityStep(groups.subList(0, s),
                    Map.of(Method.SALIENCY, map(s, false), Method.INTEGRATED_GRADIENTS, map(s, true)),
                    Map.of(Method.SALIENCY, 1.0 - 0.3 * s, Method.INTEGRATED_GRADIENTS, 0.9),
                    Map.of(Method.SALIENCY, 1.0 - 0.2 * s, Method.INTEGRATED_GRADIENTS, 0.8)));
        }
        return new SanityReport(groups, steps, Map.of(Method.SALIENCY, false, Method.INTEGRATED_GRADIENTS, true), 0.5,
                new ClassScore(2, "star", 3f, 0.9), null, 0);
    }

    static RgbImage image() {
        float[] px = new float[W * H * 3];
        for (int i = 0; i < px.length; i++) {
            px[i] = (i * 37) % 256;
        }
        return new RgbImage(W, H, px);
    }

    @Test
    void eachStepIsItsOverlayEnlargedWithoutSmoothing() {
        SanityReport report = report();
        BufferedImage strip = SanityStrip.render(report, Method.SALIENCY, image(), Colormap.INFERNO, 0.6);
        SanityStrip.Geometry g = SanityStrip.Geometry.of(4, W, H);
        assertThat(g.scale()).isEqualTo(24); // 4 px wide -> at least 96 px
        assertThat(strip.getWidth()).isEqualTo(g.width()).isEqualTo(8 + 4 * 96 + 3 * 6 + 8);
        assertThat(strip.getHeight()).isEqualTo(g.height());
        for (int s = 0; s < 4; s++) {
            BufferedImage overlay = Overlay.composite(image(), report.steps().get(s).maps().get(Method.SALIENCY),
                    Colormap.INFERNO, 0.6);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    int expected = overlay.getRGB(x, y);
                    int x0 = g.panelX(s) + x * g.scale();
                    int y0 = g.panelY() + y * g.scale();
                    assertThat(strip.getRGB(x0, y0)).as("step %d pixel %d,%d", s, x, y).isEqualTo(expected);
                    assertThat(strip.getRGB(x0 + g.scale() - 1, y0 + g.scale() - 1)).isEqualTo(expected);
                }
            }
            if (s > 0) {
                int gap = g.panelX(s) - 1;
                assertThat(strip.getRGB(gap, g.panelY() + 10) & 0xffffff).as("gap before panel %d", s)
                        .isEqualTo(0xffffff);
            }
            assertThat(dark(strip, g.panelX(s), g.panelY() - LABEL_BAND, g.panelWidth(), LABEL_BAND))
                    .as("label above panel %d", s).isGreaterThan(5);
            assertThat(dark(strip, g.panelX(s), g.panelY() + g.panelHeight() + 2, g.panelWidth(), 26))
                    .as("captions below panel %d", s).isGreaterThan(20);
        }
        assertThat(dark(strip, 0, 0, strip.getWidth(), 8)).as("margin").isZero();
    }

    @Test
    void signedMapsAreDrawnWithTheDivergingColormap() {
        SanityReport report = report();
        BufferedImage strip = SanityStrip.render(report, Method.INTEGRATED_GRADIENTS, image(), Colormap.VIRIDIS, 1.0);
        SanityStrip.Geometry g = SanityStrip.Geometry.of(4, W, H);
        Heatmap last = report.last().maps().get(Method.INTEGRATED_GRADIENTS);
        assertThat(strip.getRGB(g.panelX(3), g.panelY()))
                .isEqualTo(Overlay.composite(image(), last, Colormap.COOLWARM, 1.0).getRGB(0, 0));
    }

    @Test
    void theTitleSaysWhetherTheMethodPassed() {
        assertThat(SanityStrip.title(report(), Method.SALIENCY))
                .isEqualTo("Saliency, class star: passes (final Spearman 0.10 < 0.50)");
        assertThat(SanityStrip.title(report(), Method.INTEGRATED_GRADIENTS))
                .isEqualTo("Integrated Gradients, class star: FLAGGED, barely changes (final Spearman 0.90 >= 0.50)");
    }

    @Test
    void largeInputsAreNotEnlarged() {
        SanityStrip.Geometry g = SanityStrip.Geometry.of(8, 224, 224);
        assertThat(g.scale()).isEqualTo(1);
        assertThat(SanityStrip.Geometry.of(8, 28, 28).panelWidth()).isEqualTo(112);
    }

    private static final int LABEL_BAND = 14;

    /** Pixels clearly darker than white in a rectangle (text). */
    static int dark(BufferedImage img, int x0, int y0, int w, int h) {
        int n = 0;
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                int rgb = img.getRGB(x, y);
                if (((rgb >> 16) & 0xff) < 128 && ((rgb >> 8) & 0xff) < 128 && (rgb & 0xff) < 128) {
                    n++;
                }
            }
        }
        return n;
    }
}
