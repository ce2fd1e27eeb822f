package io.saliencystudio.app.explain;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.model.LayerTap;
import java.nio.file.Path;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/** A ViT package in the window: token layers listed with their grid, explained at the default layer, scrubbed. */
class TransformerWindowTest extends WindowTestBase {

    private static final Path VIT = Path.of("src/test/resources/transformer-models/tiny-vit").toAbsolutePath();

    @Test
    void tokenLayersAreListedWithTheirGridAndScrubbedLikeFeatureMaps() {
        awaitFirstExplanation();
        onFx(() -> ctx.models().open(VIT));
        waitUntil("the ViT explains", 60, () -> {
            ExplainOutcome out = ctx.explain().outcome();
            return out != null && !ctx.explain().busyProperty().get()
                    && out.query().model().modelPackage().location().equals(VIT);
        });
        LayerTap start = onFx(() -> ctx.explain().layer());
        assertThat(start.displayName()).isEqualTo("encoder.layers.encoder_layer_1.ln_1");
        int row = onFx(() -> ctx.explain().layers().indexOf(start));
        String shape = onFx(() -> ((Label) AppTestKit.cell(window.layers().list(), row).lookup(".layer-shape")).getText());
        assertThat(shape).isEqualTo("17 tokens → 4×4 + 1 · 32 ch");
        ExplainOutcome out = onFx(() -> ctx.explain().outcome());
        assertThat(out.result(Method.GRADCAM).layer()).isEqualTo("encoder.layers.encoder_layer_1.ln_1");
        assertThat(new int[] {out.result(Method.GRADCAM).layerMap().height(),
                out.result(Method.GRADCAM).layerMap().width()}).containsExactly(4, 4);
        assertThat(out.result(Method.GRADCAM).map().width()).isEqualTo(32);

        robot.clickOn("#panel-original");
        robot.type(KeyCode.OPEN_BRACKET);
        waitUntil("Grad-CAM one layer up", 30, () -> !ctx.explain().busyProperty().get()
                && "encoder.layers.encoder_layer_0".equals(ctx.explain().outcome().result(Method.GRADCAM).layer()));
    }
}
