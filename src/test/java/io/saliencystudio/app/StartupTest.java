package io.saliencystudio.app;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Method;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Start: default model loaded, its samples listed with predictions, the first sample explained; no dialog. */
class StartupTest extends WindowTestBase {

    @Test
    void opensWithDefaultModelSamplesAndFirstExplanation() throws Exception {
        awaitFirstExplanation();
        long samples;
        try (Stream<java.nio.file.Path> s = Files.list(AppTestKit.samplesOf(defaultModel()))) {
            samples = s.filter(p -> p.toString().endsWith(".png")).count();
        }
        assertThat(onFx(() -> ctx.models().loaded().manifest().id())).isEqualTo(defaultModel().getFileName().toString());
        assertThat(onFx(() -> ctx.images().items().size())).isEqualTo((int) samples);
        assertThat(onFx(() -> ctx.images().selected() == ctx.images().items().get(0))).isTrue();

        // The panels show the image the model saw and both maps at the model's default layer.
        var out = onFx(() -> ctx.explain().outcome());
        assertThat(out.query().image()).isEqualTo(onFx(() -> ctx.images().items().get(0).source()));
        assertThat(out.result(Method.GRADCAM).layer()).isEqualTo(out.query().model().manifest().defaultLayer());
        assertThat(onFx(() -> PanelNodes.baseView(window.panels().original()).getImage().getWidth()))
                .isEqualTo(out.query().model().manifest().input().width());
        assertThat(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.SALIENCY)))).isNotNull();
        assertThat(onFx(() -> PanelNodes.headlineText(window.panels()))).contains("Explaining " + out.target().label());
        assertThat(onFx(() -> window.classes().topList().getItems().size())).isEqualTo(5);
        assertThat(onFx(() -> window.layers().list().getSelectionModel().getSelectedItem().displayName()))
                .isEqualTo(out.query().model().manifest().defaultLayer());

        // The preselected layer is scrolled into view.
        waitUntil("selected layer visible", 5, () -> {
            var list = window.layers().list();
            int row = list.getSelectionModel().getSelectedIndex();
            var listBounds = list.localToScene(list.getLayoutBounds());
            return list.lookupAll(".list-cell").stream().map(n -> (javafx.scene.control.ListCell<?>) n)
                    .anyMatch(c -> c.getIndex() == row && c.isVisible()
                            && listBounds.contains(c.localToScene(c.getLayoutBounds()).getCenterX(),
                                    c.localToScene(c.getLayoutBounds()).getCenterY()));
        });

        // Every sample gets a prediction in the list, and the status bar says how long the explanation took.
        waitUntil("all samples predicted", 60, () -> ctx.images().items().stream().allMatch(i -> i.prediction() != null));
        assertThat(onFx(() -> window.statusBar().timingLabel().getText())).matches("Last explanation: .*\\d+ ms.*");
        assertThat(onFx(() -> window.statusBar().messageLabel().getText())).isEqualTo("Ready");
        assertThat(onFx(() -> prefs.lastModel().orElse(""))).endsWith(defaultModel().getFileName().toString());
        // No GPU here: no device picker, and the status bar names the CPU.
        assertThat(onFx(() -> robot.lookup("#device-picker").query().isVisible())).isFalse();
        assertThat(onFx(() -> ((javafx.scene.control.Label) robot.lookup("#status-device").query()).getText())).startsWith("CPU");
        assertThat(onFx(() -> stage.getTitle())).isEqualTo("Saliency Studio — " + out.query().model().manifest().name());
    }

    @Test
    void downAndUpWalkTheImageListFromAnywhereInTheWindow() {
        awaitFirstExplanation();
        robot.clickOn("#panel-gradcam");
        robot.type(javafx.scene.input.KeyCode.DOWN);
        waitUntil("second image explained", 30, () -> ctx.images().selected() == ctx.images().items().get(1)
                && ctx.explain().outcome().query().image().equals(ctx.images().items().get(1).source()));
        assertThat(onFx(() -> window.imageList().list().getSelectionModel().getSelectedIndex())).isEqualTo(1);
        robot.type(javafx.scene.input.KeyCode.UP);
        waitUntil("first image again", 30, () -> ctx.explain().outcome().query().image().equals(ctx.images().items().get(0).source()));
    }
}
