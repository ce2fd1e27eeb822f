package io.saliencystudio.app.explain;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Label;
import org.controlsfx.control.PropertySheet;
import org.junit.jupiter.api.Test;

/** Panels per method: add and remove, parameters that recompute one panel, progress and cancel on a panel. */
class MethodPanelsTest extends WindowTestBase {

    private static final Path TEST_MODELS = Path.of("src/test/resources/models").toAbsolutePath();

    private void awaitIdle() {
        awaitFirstExplanation();
        onFx(() -> ctx.inference().predictions().cancel());
        settle();
    }

    @Test
    void panelsAreAddedFromTheMenuAndRemovedWithTheirCloseButton() {
        awaitIdle();
        assertThat(onFx(() -> List.copyOf(ctx.explain().methods()))).containsExactly(Method.SALIENCY, Method.GRADCAM);
        robot.clickOn("#add-method");
        // Every method is listed by its display name.
        List<String> listed = onFx(() -> window.panels().addMenu().getItems().stream()
                .map(i -> ((Label) ((javafx.scene.control.CustomMenuItem) i).getContent()).getText()).toList());
        assertThat(listed).hasSize(Method.values().length).contains("Grad-CAM++", "Integrated Gradients",
                "Input × Gradient", "Occlusion");
        robot.clickOn("#add-xgradcam");
        waitUntil("XGrad-CAM panel added", 10, () -> window.panels().panel(Method.XGRADCAM) != null);
        assertThat(onFx(() -> List.copyOf(ctx.explain().methods())))
                .containsExactly(Method.SALIENCY, Method.GRADCAM, Method.XGRADCAM);
        assertThat(robot.lookup("#panel-xgradcam").tryQuery()).isPresent();
        waitUntil("new panel answered", 30, () -> !ctx.explain().busyProperty().get());
        // Only the new method went to the engine: the other two were cached.
        assertThat(backend.requests.get(backend.requests.size() - 1).methods()).containsExactly(Method.XGRADCAM);
        int calls = backend.engineCalls();
        robot.clickOn("#close-xgradcam");
        waitUntil("panel removed", 10, () -> window.panels().panel(Method.XGRADCAM) == null);
        assertThat(robot.lookup("#panel-xgradcam").tryQuery()).isEmpty();
        assertThat(onFx(() -> window.panels().grid().getChildren().size())).isEqualTo(3);
        assertThat(backend.engineCalls()).as("removing a panel computes nothing").isEqualTo(calls);
    }

    @Test
    void manyPanelsWrapIntoRows() {
        awaitIdle();
        onFx(() -> {
            for (Method m : List.of(Method.LAYERCAM, Method.HIRESCAM, Method.EIGENCAM, Method.INPUT_X_GRADIENT)) {
                ctx.explain().addMethod(m);
            }
        });
        settle();
        List<Node> cells = onFx(() -> List.copyOf(window.panels().grid().getChildren()));
        assertThat(cells).hasSize(7);
        // Four per row: the input panel and three methods, then the rest on a second row.
        assertThat(onFx(() -> javafx.scene.layout.GridPane.getRowIndex(cells.get(3)))).isZero();
        assertThat(onFx(() -> javafx.scene.layout.GridPane.getRowIndex(cells.get(4)))).isEqualTo(1);
        assertThat(onFx(() -> javafx.scene.layout.GridPane.getColumnIndex(cells.get(6)))).isEqualTo(2);
    }

    @Test
    void aParameterChangeRecomputesOnlyThatMethodsPanel() {
        backend.fakeMultiPassSteps = 5;
        awaitIdle();
        onFx(() -> ctx.explain().addMethod(Method.SMOOTHGRAD));
        waitUntil("SmoothGrad shown", 30, () -> !ctx.explain().busyProperty().get()
                && window.panels().panel(Method.SMOOTHGRAD).heatmap() != null);
        var saliency = onFx(() -> window.panels().panel(Method.SALIENCY).heatmap());
        var cam = onFx(() -> window.panels().panel(Method.GRADCAM).heatmap());
        var smooth = onFx(() -> window.panels().panel(Method.SMOOTHGRAD).heatmap());
        int requests = backend.requests.size();
        PropertySheet.Item sigma = onFx(() -> window.panels().settingsSheet(Method.SMOOTHGRAD).getItems().stream()
                .filter(i -> i.getName().equals("Sigma")).findFirst().orElseThrow());
        assertThat(onFx(() -> sigma.getValue())).isEqualTo(0.15);
        onFx(() -> sigma.setValue(0.3));
        waitUntil("SmoothGrad recomputed", 30, () -> !ctx.explain().busyProperty().get()
                && window.panels().panel(Method.SMOOTHGRAD).heatmap() != smooth);
        assertThat(backend.requests).hasSize(requests + 1);
        var request = backend.requests.get(requests);
        assertThat(request.methods()).containsExactly(Method.SMOOTHGRAD);
        assertThat(request.settings().smoothGrad().sigma()).isEqualTo(0.3);
        // The other panels were neither recomputed nor redrawn from a new map.
        assertThat(onFx(() -> window.panels().panel(Method.SALIENCY).heatmap())).isSameAs(saliency);
        assertThat(onFx(() -> window.panels().panel(Method.GRADCAM).heatmap())).isSameAs(cam);
        // The batch size changes speed, not maps: nothing is recomputed.
        PropertySheet.Item batch = onFx(() -> window.panels().settingsSheet(Method.SMOOTHGRAD).getItems().stream()
                .filter(i -> i.getName().equals("Batch size")).findFirst().orElseThrow());
        onFx(() -> batch.setValue(4));
        settle();
        assertThat(onFx(() -> ctx.explain().settings().batchSize())).isEqualTo(4);
        assertThat(backend.requests).hasSize(requests + 1);
        // Back to the old sigma: from the cache.
        onFx(() -> sigma.setValue(0.15));
        waitUntil("old map back", 10, () -> window.panels().panel(Method.SMOOTHGRAD).heatmap() == smooth);
        assertThat(backend.requests).hasSize(requests + 1);
        // Half-typed values the engine would reject are ignored.
        PropertySheet.Item samples = onFx(() -> window.panels().settingsSheet(Method.SMOOTHGRAD).getItems().stream()
                .filter(i -> i.getName().equals("Samples")).findFirst().orElseThrow());
        onFx(() -> samples.setValue(0));
        assertThat(onFx(() -> ctx.explain().settings().smoothGrad().samples()))
                .isEqualTo(MethodSettings.DEFAULTS.smoothGrad().samples());
    }

    @Test
    void aMultiPassPanelShowsProgressAndCanBeCancelledAlone() {
        backend.fakeMultiPassSteps = 1500; // 30 s unless cancelled, so ending within the wait below is the cancel
        awaitIdle();
        onFx(() -> ctx.explain().addMethod(Method.OCCLUSION));
        waitUntil("progress on the Occlusion panel", 20, () -> {
            var p = ctx.explain().progress().get(Method.OCCLUSION);
            return p != null && p.fraction() > 0;
        });
        assertThat(onFx(() -> PanelNodes.progressShown(window.panels().panel(Method.OCCLUSION)))).isTrue();
        robot.clickOn("#cancel-occlusion");
        waitUntil("cancelled", 10, () -> !ctx.explain().busyProperty().get());
        MapPanel occ = onFx(() -> window.panels().panel(Method.OCCLUSION));
        assertThat(onFx(() -> PanelNodes.messageLabel(occ).getText())).startsWith("Cancelled");
        assertThat(onFx(() -> PanelNodes.progressShown(occ))).isFalse();
        // The other panels keep their maps.
        assertThat(onFx(() -> window.panels().panel(Method.SALIENCY).heatmap())).isNotNull();
        assertThat(onFx(() -> PanelNodes.overlayView(window.panels().panel(Method.GRADCAM)).isVisible())).isTrue();
    }

    @Test
    void layerMethodsAreUnavailableOnAModelWithoutTaps() {
        awaitIdle();
        onFx(() -> ctx.models().open(TEST_MODELS.resolve("plain-no-taps.pt")));
        waitUntil("bare .pt loaded and explained", 60, () -> ctx.models().loaded() != null
                && ctx.models().loaded().manifest().id().equals("plain-no-taps") && ctx.explain().outcome() != null
                && ctx.explain().outcome().query().model() == ctx.models().loaded());
        onFx(() -> window.notifications().hide()); // the "no layer taps" notice covers the panels' top row
        settle();
        robot.clickOn("#add-method");
        Label scoreCam = robot.lookup("#add-scorecam").queryAs(Label.class);
        assertThat(onFx(scoreCam::getText)).contains("needs layer taps");
        assertThat(onFx(() -> scoreCam.getTooltip().getText())).contains("without layer taps");
        robot.clickOn("#add-scorecam");
        settle();
        assertThat(onFx(() -> ctx.explain().methods())).doesNotContain(Method.SCORECAM);
        assertThat(onFx(() -> EnumSet.copyOf(ctx.explain().outcome().results().keySet())))
                .containsExactly(Method.SALIENCY);
    }
}
