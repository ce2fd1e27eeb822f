package io.saliencystudio.engine.figure;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.render.Colormap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signed maps in figures: coolwarm around zero on their own symmetric scale, whatever the figure's colormap. */
class SignedFigureTest {

    @Test
    void signedPanelUsesCoolwarmAndStaysOutOfTheSharedRange() {
        FigureSpec.Row base = FigureFixtures.row("star-01", 1);
        int n = FigureFixtures.SIZE;
        float[] raw = new float[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                raw[y * n + x] = x - 8; // -8 (left edge) .. 7; zero at x = 8
            }
        }
        Map<Method, MethodResult> results = new EnumMap<>(base.explanation().results());
        results.put(Method.INTEGRATED_GRADIENTS, new MethodResult(Method.INTEGRATED_GRADIENTS,
                MapMath.signed(raw, n, n), null, null, 1));
        Explanation e = new Explanation(base.explanation().source(), base.explanation().prediction(),
                base.explanation().target(), results);
        Figure figure = Figure.of(FigureSpec.builder(FigureFixtures.MODEL).row(base.input(), e)
                .methods(List.of(Method.SALIENCY, Method.INTEGRATED_GRADIENTS)).opacity(1)
                .colormap(Colormap.VIRIDIS).scaleMode(FigureSpec.ScaleMode.SHARED).dpi(72).build());
        var full = FigureRenderer.raster(figure);
        // Panel 2 is IG: opacity 1 shows the colormap itself. Most negative = coolwarm's blue end, zero = its middle.
        assertThat(SharedScaleTest.figurePixel(figure, full, 2, 0, 8) & 0xffffff)
                .isEqualTo(Colormap.COOLWARM.argb(0f) & 0xffffff);
        assertThat(SharedScaleTest.figurePixel(figure, full, 2, 8, 8) & 0xffffff)
                .isEqualTo(Colormap.COOLWARM.argb(0.5f) & 0xffffff);
        // The shared range is the unsigned maps' only (saliency 0 .. 1.5), not widened to -8 by the signed map.
        assertThat(figure.panels().min()).isEqualTo(0f);
        assertThat(figure.panels().max()).isCloseTo(1.5f, org.assertj.core.data.Offset.offset(1e-6f));
    }
}
