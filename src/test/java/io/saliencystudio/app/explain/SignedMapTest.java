package io.saliencystudio.app.explain;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.pixels;
import static io.saliencystudio.app.AppTestKit.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.render.Colormap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A signed map is drawn with the diverging colormap on a symmetric scale, whatever colormap is chosen. */
class SignedMapTest extends WindowTestBase {

    /** The saliency map made signed: raw minus its mid-range, normalised as the engine normalises signed maps. */
    static Heatmap signed(Heatmap h) {
        float mid = (h.rawMin() + h.rawMax()) / 2;
        float[] raw = new float[h.raw().length];
        float m = 0;
        for (int i = 0; i < raw.length; i++) {
            raw[i] = h.raw()[i] - mid;
            m = Math.max(m, Math.abs(raw[i]));
        }
        float[] values = new float[raw.length];
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int i = 0; i < raw.length; i++) {
            values[i] = 0.5f + raw[i] / (2 * m);
            lo = Math.min(lo, raw[i]);
            hi = Math.max(hi, raw[i]);
        }
        return new Heatmap(h.width(), h.height(), raw, values, lo, hi, true);
    }

    @Override
    protected void configure(TestBackend b) {
        b.rewrite = list -> list.stream().map(e -> {
            Map<Method, MethodResult> maps = new EnumMap<>(e.results());
            MethodResult s = maps.get(Method.SALIENCY);
            if (s != null) {
                maps.put(Method.SALIENCY, new MethodResult(s.method(), signed(s.map()), null, null, s.millis()));
            }
            return new Explanation(e.source(), e.prediction(), e.target(), maps);
        }).toList();
    }

    @Test
    void signedMapUsesTheDivergingColormapOnASymmetricScale() {
        awaitFirstExplanation();
        onFx(() -> ctx.inference().predictions().cancel());
        settle();
        MapPanel panel = onFx(() -> window.panels().panel(Method.SALIENCY));
        Heatmap map = onFx(panel::heatmap);
        assertThat(map.signed()).isTrue();
        int[] px = pixels(onFx(() -> PanelNodes.overlayImage(panel)));
        // Every pixel is coolwarm of the symmetric value, not the chosen (viridis) colormap.
        for (int i : new int[] {0, map.argMax(), px.length / 2 + map.width() / 3}) {
            assertThat(px[i]).isEqualTo(Colormap.COOLWARM.argb(map.values()[i]));
        }
        assertThat(px[map.argMax()]).isNotEqualTo(Colormap.VIRIDIS.argb(map.values()[map.argMax()]));
        float m = Math.max(-map.rawMin(), map.rawMax());
        assertThat(onFx(() -> PanelNodes.legendText(panel))).startsWith(LegendPresenter.format(-m) + " … +" + LegendPresenter.format(m))
                .contains("signed, symmetric");
        assertThat(onFx(panel::colormap)).isEqualTo(Colormap.COOLWARM);
        // The other panels keep the chosen colormap; switching it leaves the signed one diverging.
        onFx(() -> ctx.display().colormapProperty().set(Colormap.INFERNO));
        assertThat(pixels(onFx(() -> PanelNodes.overlayImage(panel)))[0]).isEqualTo(Colormap.COOLWARM.argb(map.values()[0]));
        Heatmap cam = onFx(() -> window.panels().panel(Method.GRADCAM).heatmap());
        assertThat(pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.GRADCAM))))[0])
                .isEqualTo(Colormap.INFERNO.argb(cam.values()[0]));
    }

    @Test
    void sharedScaleGivesUnsignedPanelsOneRange() {
        awaitFirstExplanation();
        onFx(() -> ctx.inference().predictions().cancel());
        onFx(() -> ctx.explain().addMethod(Method.GRADCAM)); // already there: nothing changes
        List<Heatmap> maps = onFx(() -> List.of(window.panels().panel(Method.SALIENCY).heatmap(),
                window.panels().panel(Method.GRADCAM).heatmap()));
        int calls = backend.engineCalls();
        onFx(() -> ctx.display().sharedScaleProperty().set(true));
        // Only one unsigned map (Grad-CAM): its shared range is its own; the signed one has its own symmetric one.
        assertThat(onFx(() -> PanelNodes.legendText(window.panels().panel(Method.GRADCAM)))).contains("shared scale");
        assertThat(onFx(() -> PanelNodes.legendText(window.panels().panel(Method.SALIENCY)))).contains("shared scale");
        assertThat(pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.GRADCAM))))[0])
                .isEqualTo(Colormap.DEFAULT.argb(maps.get(1).values()[0]));
        assertThat(backend.engineCalls()).isEqualTo(calls);
    }
}
