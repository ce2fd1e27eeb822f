package io.saliencystudio.app.explain;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import java.util.EnumMap;
import org.junit.jupiter.api.Test;

/** An all-zero Grad-CAM (all evidence negative before the ReLU) is said in words, not drawn as an empty overlay. */
class BlankGradCamTest extends WindowTestBase {

    @Override
    protected void configure(TestBackend b) {
        // The real engine's answer with the Grad-CAM map replaced by a ReLU'd all-negative one: all zeros.
        b.rewrite = list -> list.stream().map(e -> {
            MethodResult cam = e.result(Method.GRADCAM);
            if (cam == null) {
                return e;
            }
            var zero = MapMath.gradCam(new float[cam.layerMap().values().length], cam.layerMap().width(), cam.layerMap().height());
            var results = new EnumMap<>(e.results());
            results.put(Method.GRADCAM, new MethodResult(Method.GRADCAM, MapMath.upsample(zero, cam.map().width(),
                    cam.map().height()), zero, cam.layer(), cam.millis()));
            return new Explanation(e.source(), e.prediction(), e.target(), results);
        }).toList();
    }

    @Test
    void blankGradCamShowsAMessageInsteadOfAnEmptyOverlay() {
        awaitFirstExplanation();
        var out = onFx(() -> ctx.explain().outcome());
        assertThat(out.map(Method.GRADCAM).isBlank()).isTrue();
        MapPanel cam = window.panels().panel(Method.GRADCAM);
        assertThat(onFx(() -> PanelNodes.messageLabel(cam).isVisible())).isTrue();
        assertThat(onFx(() -> PanelNodes.messageLabel(cam).getText())).contains("Grad-CAM is all zero")
                .contains(out.target().label()).contains(out.result(Method.GRADCAM).layer());
        assertThat(onFx(() -> PanelNodes.overlayView(cam).isVisible())).isFalse();
        // Saliency is unaffected.
        assertThat(onFx(() -> PanelNodes.messageLabel(window.panels().panel(Method.SALIENCY)).isVisible())).isFalse();
        assertThat(onFx(() -> PanelNodes.overlayView(window.panels().panel(Method.SALIENCY)).isVisible())).isTrue();
    }

    @Test
    void aOneByOneLayerAndAConstantMapAreExplainedDifferently() {
        awaitFirstExplanation();
        var target = onFx(() -> ctx.explain().outcome().target());
        var one = MapMath.gradCam(new float[] {0.7f}, 1, 1);
        var up = MapMath.upsample(one, 8, 8);
        assertThat(PanelsPresenter.blankMessage(new MethodResult(Method.GRADCAM, up, one, "avgpool", 1), target))
                .contains("1×1").contains("avgpool");
        var flat = MapMath.gradCam(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 2, 2);
        assertThat(PanelsPresenter.blankMessage(new MethodResult(Method.GRADCAM, MapMath.upsample(flat, 8, 8), flat, "x", 1),
                target)).startsWith("Grad-CAM is constant");
        var fine = MapMath.gradCam(new float[] {0, 1, 0, 0}, 2, 2);
        assertThat(PanelsPresenter.blankMessage(new MethodResult(Method.GRADCAM, MapMath.upsample(fine, 8, 8), fine, "x", 1),
                target)).isNull();
    }
}
