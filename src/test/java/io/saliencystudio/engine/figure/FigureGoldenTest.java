package io.saliencystudio.engine.figure;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The raster renderer against a committed golden image. Map panels and the colour bar must match almost exactly;
 * text may shift by a pixel between font rasterisers, so the whole figure is compared with a tolerance.
 * Regenerate with {@code -Dfigure.updateGolden=true} and look at the result before committing it.
 */
class FigureGoldenTest {

    static final Path GOLDEN = Path.of("src/test/resources/figure/golden-row.png");

    @Test
    void rowFigureMatchesTheGoldenImage() throws Exception {
        Figure figure = Figure.of(FigureFixtures.rowSpec().build());
        BufferedImage actual = FigureRenderer.raster(figure);
        if (Boolean.getBoolean("figure.updateGolden")) {
            ImageIO.write(actual, "png", GOLDEN.toFile());
        }
        assertThat(Files.exists(GOLDEN)).as("golden image " + GOLDEN).isTrue();
        BufferedImage golden = ImageIO.read(GOLDEN.toFile());
        assertThat(actual.getWidth()).isEqualTo(golden.getWidth());
        assertThat(actual.getHeight()).isEqualTo(golden.getHeight());

        // Panels: at most 2 levels per channel off, anywhere inside them (1 pt inset against edge antialiasing).
        for (FigureLayout.Element e : figure.layout().elements()) {
            if (e instanceof FigureLayout.PanelBox p) {
                int x0 = (int) Math.ceil(p.x()) + 1;
                int y0 = (int) Math.ceil(p.y()) + 1;
                for (int y = y0; y < (int) (p.y() + p.h()) - 1; y++) {
                    for (int x = x0; x < (int) (p.x() + p.w()) - 1; x++) {
                        assertThat(diff(actual.getRGB(x, y), golden.getRGB(x, y))).as("panel pixel %d,%d", x, y).isLessThanOrEqualTo(2);
                    }
                }
            }
        }
        // Whole figure: under 1.5% of pixels may differ by more than 48 levels (text rasterisation).
        int off = 0;
        for (int y = 0; y < actual.getHeight(); y++) {
            for (int x = 0; x < actual.getWidth(); x++) {
                if (diff(actual.getRGB(x, y), golden.getRGB(x, y)) > 48) {
                    off++;
                }
            }
        }
        assertThat(off).isLessThan(actual.getWidth() * actual.getHeight() * 15 / 1000);
    }

    @Test
    void toleranceCatchesARealChange() throws Exception {
        BufferedImage changed = FigureRenderer.raster(Figure.of(FigureFixtures.rowSpec()
                .colormap(io.saliencystudio.engine.render.Colormap.INFERNO).build()));
        BufferedImage golden = ImageIO.read(GOLDEN.toFile());
        int off = 0;
        for (int y = 0; y < golden.getHeight(); y++) {
            for (int x = 0; x < golden.getWidth(); x++) {
                if (diff(changed.getRGB(x, y), golden.getRGB(x, y)) > 48) {
                    off++;
                }
            }
        }
        assertThat(off).isGreaterThan(golden.getWidth() * golden.getHeight() * 15 / 1000);
    }

    static int diff(int a, int b) {
        int d = 0;
        for (int s = 0; s <= 16; s += 8) {
            d = Math.max(d, Math.abs(((a >> s) & 0xff) - ((b >> s) & 0xff)));
        }
        return d;
    }
}
