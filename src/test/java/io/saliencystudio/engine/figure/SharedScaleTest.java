package io.saliencystudio.engine.figure;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Method;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Shared scale: one raw value, one colour, in every panel of the figure; per-map scale does not promise that. */
class SharedScaleTest {

    // Saliency raw = 0.1 x and Grad-CAM raw = 0.2 x: raw 1.0 sits at x = 10 in saliency and x = 5 in Grad-CAM.
    static final int SAL_X = 10;
    static final int CAM_X = 5;
    static final int Y = 8;

    @Test
    void sameRawValueGetsTheSameColourInTwoPanels() {
        Figure figure = Figure.of(FigureFixtures.rowSpec().opacity(1).scaleMode(FigureSpec.ScaleMode.SHARED).build());
        BufferedImage full = FigureRenderer.raster(figure);
        int sal = figurePixel(figure, full, 1, SAL_X, Y);
        int cam = figurePixel(figure, full, 2, CAM_X, Y);
        assertThat(Integer.toHexString(sal)).isEqualTo(Integer.toHexString(cam));
        assertThat(figure.panels().min()).isEqualTo(0f);
        assertThat(figure.panels().max()).isEqualTo(3.0f, org.assertj.core.data.Offset.offset(1e-6f));
        // And the value drawn is (1.0 - 0) / 3.0 in both maps.
        assertThat(figure.panels().panel(0, 1).map().value(SAL_X, Y)).isCloseTo(1f / 3, org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(figure.panels().panel(0, 2).map().value(CAM_X, Y)).isCloseTo(1f / 3, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void perMapScaleColoursTheSameRawValueDifferently() {
        Figure figure = Figure.of(FigureFixtures.rowSpec().opacity(1).scaleMode(FigureSpec.ScaleMode.PER_MAP).build());
        BufferedImage full = FigureRenderer.raster(figure);
        int sal = figurePixel(figure, full, 1, SAL_X, Y);
        int cam = figurePixel(figure, full, 2, CAM_X, Y);
        assertThat(GoldenDiff.max(sal, cam)).isGreaterThan(40);
        assertThat(figure.panels().panel(0, 1).map().value(SAL_X, Y)).isCloseTo(1f / 1.5f, org.assertj.core.data.Offset.offset(1e-5f));
    }

    @Test
    void sharedScaleSpansImagesOfAGrid() {
        FigureSpec.Row a = FigureFixtures.row("a", 1);
        FigureSpec.Row b = FigureFixtures.row("b", 2); // twice the raw values
        FigureSpec spec = FigureSpec.builder(FigureFixtures.MODEL).row(a.input(), a.explanation()).row(b.input(), b.explanation())
                .methods(java.util.List.of(Method.SALIENCY)).opacity(1).scaleMode(FigureSpec.ScaleMode.SHARED).dpi(72).build();
        Figure figure = Figure.of(spec);
        assertThat(spec.layout()).isEqualTo(FigureSpec.Layout.GRID);
        assertThat(figure.panels().max()).isCloseTo(3.0f, org.assertj.core.data.Offset.offset(1e-5f));
        // raw 1.0: x = 10 in a, x = 5 in b
        int pa = figure.panels().panel(0, 1).image().getRGB(10, Y);
        int pb = figure.panels().panel(1, 1).image().getRGB(5, Y);
        assertThat(Integer.toHexString(pa)).isEqualTo(Integer.toHexString(pb));
        String text = figure.layout().elements().stream().filter(e -> e instanceof FigureLayout.Text)
                .map(e -> ((FigureLayout.Text) e).text()).toList().toString();
        assertThat(text).contains("shared scale").contains("3.00").doesNotContain("per-map");
    }

    /** Colour of map pixel (mx, my) of a panel, read from the middle of its block in the rendered figure. */
    static int figurePixel(Figure figure, BufferedImage full, int panel, int mx, int my) {
        FigureLayout.PanelBox box = figure.layout().elements().stream().filter(e -> e instanceof FigureLayout.PanelBox)
                .map(e -> (FigureLayout.PanelBox) e).filter(b -> b.index() == panel).findFirst().orElseThrow();
        double s = figure.scale();
        int x = (int) ((box.x() + (mx + 0.5) * box.w() / FigureFixtures.SIZE) * s);
        int y = (int) ((box.y() + (my + 0.5) * box.h() / FigureFixtures.SIZE) * s);
        return full.getRGB(x, y);
    }

    static final class GoldenDiff {
        static int max(int a, int b) {
            return FigureGoldenTest.diff(a, b);
        }
    }
}
