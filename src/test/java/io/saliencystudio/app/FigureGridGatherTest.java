package io.saliencystudio.app;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.images.ImageItem;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.Method;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** "Export grid of selected images…" gathers each image's maps through the inference service, without waiting. */
class FigureGridGatherTest extends WindowTestBase {

    @Test
    void gathersOneExplanationPerSelectedImageInOrder() {
        awaitFirstExplanation();
        waitUntil("three images listed", 30, () -> onFx(() -> ctx.images().items().size() >= 3));
        List<ImageItem> picked = onFx(() -> List.copyOf(ctx.images().items().subList(0, 3)));
        AtomicReference<List<ExplainOutcome>> got = new AtomicReference<>();
        onFx(() -> {
            var cmd = new FigureExportCommand(ctx, stage, new io.saliencystudio.app.dialog.FxDialogService(stage, null), () -> picked);
            cmd.gather(ctx.explain().outcome(), picked, got::set);
            // gather returned at once: the FX thread was not blocked on the explanations.
            assertThat(got.get()).isNull();
            assertThat(ctx.status().messageProperty().get()).startsWith("Preparing maps for 3 images");
        });
        waitUntil("the grid's maps", 60, () -> got.get() != null);
        assertThat(got.get()).extracting(o -> o.query().image()).containsExactlyElementsOf(
                picked.stream().map(ImageItem::source).toList());
        assertThat(got.get()).allSatisfy(o -> {
            assertThat(o.result(Method.SALIENCY)).isNotNull();
            assertThat(o.result(Method.GRADCAM)).isNotNull();
        });
        assertThat(onFx(() -> ctx.status().messageProperty().get())).doesNotStartWith("Preparing maps");
    }
}
