package io.saliencystudio.app.explain;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.differingPixels;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.pixels;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.model.LayerTap;
import java.util.List;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Class choice and layer scrubbing, driven as a user would: clicks and keys on the real window. */
class ClassAndLayerTest extends WindowTestBase {

    @Test
    void clickingAnotherTopClassChangesTheGradCamPanel() {
        awaitFirstExplanation();
        int[] before = pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.GRADCAM))));
        ClassScore second = onFx(() -> ctx.explain().topClasses().get(1));

        robot.clickOn(onFx(() -> AppTestKit.cell(window.classes().topList(), 1)));
        waitUntil("class " + second.label() + " explained", 30,
                () -> ctx.explain().outcome().target().index() == second.index() && !ctx.explain().busyProperty().get());

        int[] after = pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.GRADCAM))));
        assertThat(differingPixels(before, after)).as("Grad-CAM pixels that changed").isGreaterThan(before.length / 20);
        assertThat(onFx(() -> PanelNodes.headlineText(window.panels()))).contains("Explaining " + second.label());
        assertThat(onFx(() -> window.classes().topList().getSelectionModel().getSelectedItem().index()))
                .isEqualTo(second.index());
    }

    @Test
    void searchingAllLabelsAndPickingOneExplainsIt() {
        awaitFirstExplanation();
        ClassScore last = onFx(() -> ctx.explain().topClasses().get(4));
        robot.clickOn("#class-search").write(last.label());
        waitUntil("filtered", 10, () -> window.classes().allList().getItems().size() >= 1
                && window.classes().allList().getItems().size() < ctx.explain().allClasses().size());
        assertThat(onFx(() -> window.classes().allList().getItems().stream().map(ClassScore::label).toList()))
                .allMatch(l -> l.toLowerCase().contains(last.label().toLowerCase()));
        int row = onFx(() -> window.classes().allList().getItems().stream().map(ClassScore::index).toList().indexOf(last.index()));
        robot.clickOn(onFx(() -> AppTestKit.cell(window.classes().allList(), row)));
        waitUntil("searched class explained", 30, () -> ctx.explain().outcome().target().index() == last.index());
    }

    @Test
    void bracketKeysScrubLayersAndRecomputeGradCam() {
        awaitFirstExplanation();
        List<LayerTap> layers = onFx(() -> List.copyOf(ctx.explain().layers()));
        LayerTap start = onFx(() -> ctx.explain().layer());
        int i = layers.indexOf(start);
        assertThat(i).as("default layer listed").isGreaterThan(0);
        int[] before = pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.GRADCAM))));
        var salBefore = onFx(() -> ctx.explain().outcome().map(Method.SALIENCY));

        // Two steps back: two requests' worth of keys; the map shown must be the one of the layer reached.
        robot.clickOn("#panel-original");
        robot.type(KeyCode.OPEN_BRACKET);
        robot.type(KeyCode.OPEN_BRACKET);
        LayerTap target = layers.get(i - 2);
        waitUntil("Grad-CAM at " + target.displayName(), 30, () -> !ctx.explain().busyProperty().get()
                && target.displayName().equals(ctx.explain().outcome().result(Method.GRADCAM).layer()));
        assertThat(onFx(() -> ctx.explain().layer())).isEqualTo(target);
        assertThat(onFx(() -> window.layers().list().getSelectionModel().getSelectedItem())).isEqualTo(target);
        int[] after = pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.GRADCAM))));
        assertThat(differingPixels(before, after)).as("Grad-CAM pixels that changed").isGreaterThan(0);
        // Saliency does not depend on the layer: it came from the cache, the same map.
        assertThat(onFx(() -> ctx.explain().outcome().map(Method.SALIENCY))).isSameAs(salBefore);

        // Forward again: back at the start layer, answered from the cache without an engine call.
        int calls = backend.explainCalls.get();
        robot.type(KeyCode.CLOSE_BRACKET);
        robot.type(KeyCode.CLOSE_BRACKET);
        waitUntil("back at " + start.displayName(), 30, () -> !ctx.explain().busyProperty().get()
                && start.displayName().equals(ctx.explain().outcome().result(Method.GRADCAM).layer()));
        settle();
        assertThat(pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.GRADCAM))))).isEqualTo(before);
        assertThat(backend.explainCalls.get()).as("engine calls for cached layers").isEqualTo(calls);
        assertThat(onFx(() -> window.statusBar().timingLabel().getText())).contains("cached");
    }

    @Test
    void scrubbingStopsAtTheEnds() {
        awaitFirstExplanation();
        int n = onFx(() -> ctx.explain().layers().size());
        onFx(() -> {
            for (int k = 0; k < n + 3; k++) {
                ctx.explain().scrubLayer(+1);
            }
        });
        assertThat(onFx(() -> ctx.explain().layer())).isEqualTo(onFx(() -> ctx.explain().layers().get(n - 1)));
        onFx(() -> {
            for (int k = 0; k < n + 3; k++) {
                ctx.explain().scrubLayer(-1);
            }
        });
        assertThat(onFx(() -> ctx.explain().layer())).isEqualTo(onFx(() -> ctx.explain().layers().get(0)));
        waitUntil("first layer explained", 30, () -> !ctx.explain().busyProperty().get()
                && ctx.explain().layers().get(0).displayName().equals(ctx.explain().outcome().result(Method.GRADCAM).layer()));
    }

    @Tag("timing")
    @Test
    void rapidScrubbingShowsOnlyTheLastLayersMap() throws Exception {
        awaitFirstExplanation();
        onFx(() -> ctx.inference().predictions().cancel());
        List<LayerTap> layers = onFx(() -> List.copyOf(ctx.explain().layers()));
        int i = layers.indexOf(onFx(() -> ctx.explain().layer()));
        // Slow enough that the four keys arrive while the first step is computing, even on a loaded machine.
        backend.explainDelayMillis = 2000;
        List<String> shown = new java.util.concurrent.CopyOnWriteArrayList<>();
        onFx(() -> ctx.explain().outcomeProperty().addListener((o, was, now) -> {
            if (now != null) {
                shown.add(now.result(Method.GRADCAM).layer());
            }
        }));
        robot.clickOn("#panel-original");
        for (int k = 0; k < 4; k++) {
            robot.type(KeyCode.OPEN_BRACKET);
        }
        String last = layers.get(i - 4).displayName();
        waitUntil("last layer shown", 30, () -> !shown.isEmpty() && shown.get(shown.size() - 1).equals(last)
                && !ctx.explain().busyProperty().get());
        Thread.sleep(700);
        // Intermediate layers may be computed (and cached) but never reach the screen.
        assertThat(shown).containsExactly(last);
        assertThat(backend.explainRequests.get()).isLessThanOrEqualTo(1 + 2 + 1);
    }
}
