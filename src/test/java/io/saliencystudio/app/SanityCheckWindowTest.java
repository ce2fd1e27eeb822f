package io.saliencystudio.app;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.sanity.SanityWindow;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.sanity.SanityReport;
import io.saliencystudio.engine.sanity.SanityStep;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Explain > Sanity check…: runs in the background and shows a strip per method with a flag on the failing one. */
class SanityCheckWindowTest extends WindowTestBase {

    private static Heatmap map(float v) {
        float[] a = {0, v, v / 2, 1};
        return new Heatmap(2, 2, a, a.clone(), 0, 1);
    }

    @Test
    void sanityWindowFlagsTheMethodWhoseMapsDoNotChange() {
        awaitFirstExplanation();
        List<SanityStep> steps = List.of(
                new SanityStep(List.of(), Map.of(Method.SALIENCY, map(0.5f), Method.GRADCAM, map(0.5f)),
                        Map.of(Method.SALIENCY, 1.0, Method.GRADCAM, 1.0), Map.of(Method.SALIENCY, 1.0, Method.GRADCAM, 1.0)),
                new SanityStep(List.of("fc"), Map.of(Method.SALIENCY, map(0.5f), Method.GRADCAM, map(0.1f)),
                        Map.of(Method.SALIENCY, 0.97, Method.GRADCAM, 0.2), Map.of(Method.SALIENCY, 0.95, Method.GRADCAM, 0.3)),
                new SanityStep(List.of("fc", "layer4"), Map.of(Method.SALIENCY, map(0.49f), Method.GRADCAM, map(0.9f)),
                        Map.of(Method.SALIENCY, 0.96, Method.GRADCAM, -0.1), Map.of(Method.SALIENCY, 0.9, Method.GRADCAM, 0.05)));
        Map<Method, Boolean> flagged = new LinkedHashMap<>();
        flagged.put(Method.SALIENCY, true);
        flagged.put(Method.GRADCAM, false);
        backend.sanityReport = new SanityReport(List.of("fc", "layer4"), steps, flagged, 0.5);
        onFx(() -> window.commands().sanityCheck());
        waitUntil("report shown", 20, () -> window.commands().sanityWindow() != null
                && ctx.sanity().reportProperty().get() != null);
        settle();
        SanityWindow w = onFx(() -> window.commands().sanityWindow());
        assertThat(backend.sanityCalls.get()).isEqualTo(1);
        assertThat(onFx(w::flagTexts)).containsExactly(SanityWindow.flagText(true, 0.5), SanityWindow.flagText(false, 0.5));
        assertThat(SanityWindow.flagText(true, 0.5)).contains("Fails").contains("do not change");
        assertThat(robot.lookup("#sanity-flag-saliency").queryLabeled().getText()).startsWith("⚠ Fails");
        assertThat(robot.lookup("#sanity-flag-gradcam").queryLabeled().getText()).startsWith("✓ Passes");
        // The strip: a header per step and, per method, one thumbnail and its similarity per step.
        assertThat(robot.lookup("#sanity-strips").queryAs(javafx.scene.layout.GridPane.class).getChildren())
                .hasSize(3 + 2 * (1 + 3));
        assertThat(robot.lookup("ρ 0.97\nSSIM 0.95").tryQuery()).isPresent();
        onFx(() -> w.stage().close());
    }

    @Test
    void sanityCheckNeedsSomethingOnScreen() {
        awaitFirstExplanation();
        onFx(() -> {
            ctx.explain().removeMethod(Method.SALIENCY);
            ctx.explain().removeMethod(Method.GRADCAM);
        });
        onFx(() -> window.commands().sanityCheck());
        assertThat(backend.sanityCalls.get()).isZero();
        assertThat(onFx(() -> ctx.notices().history().get(ctx.notices().history().size() - 1).message()))
                .contains("show at least one method");
    }
}
