package io.saliencystudio.app.status;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.WindowTestBase;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/** The status bar's cancel button (and Esc) stop running work: an explanation, and the multi-image prediction job. */
class StatusCancelTest extends WindowTestBase {

    @Test
    void cancelButtonStopsASlowExplanation() throws Exception {
        awaitFirstExplanation();
        onFx(() -> ctx.inference().predictions().cancel());
        var shown = onFx(() -> ctx.explain().outcome());
        backend.explainDelayMillis = 1500;
        int other = onFx(() -> ctx.explain().topClasses().get(3).index());
        onFx(() -> ctx.explain().selectClass(other));
        waitUntil("cancel offered", 10, () -> window.statusBar().cancelButton().isVisible());
        assertThat(onFx(() -> window.statusBar().messageLabel().getText())).isEqualTo("Explaining…");
        robot.clickOn("#status-cancel");
        waitUntil("not busy", 10, () -> !ctx.explain().busyProperty().get());
        assertThat(onFx(() -> window.statusBar().cancelButton().isVisible())).isFalse();
        Thread.sleep(1800); // the engine call finishes meanwhile; its result must not be shown
        settle();
        assertThat(onFx(() -> ctx.explain().outcome())).isSameAs(shown);
        assertThat(onFx(() -> window.statusBar().messageLabel().getText())).isEqualTo("Ready");
    }

    @Test
    void escapeStopsTheMultiImagePredictionJob() throws Exception {
        awaitFirstExplanation();
        onFx(() -> ctx.inference().predictions().cancel());
        int before = onFx(() -> ctx.inference().predictions().completedProperty().get());
        int listed = onFx(() -> ctx.images().items().size());
        List<Path> many = AppTestKit.copySamples(defaultModel(), tmp.resolve("many"), 24);
        backend.predictDelayMillis = 80;
        onFx(() -> ctx.images().add(List.of(tmp.resolve("many"))));
        waitUntil("job running with progress", 30, () -> ctx.inference().predictions().completedProperty().get() > before + 2
                && window.statusBar().messageLabel().getText().startsWith("Predicting"));
        assertThat(onFx(() -> window.statusBar().cancelButton().isVisible())).isTrue();
        robot.clickOn("#images");
        robot.type(KeyCode.ESCAPE);
        waitUntil("job stopped", 10, () -> !ctx.inference().predictions().runningProperty().get());
        int calls = backend.predictCalls.get();
        Thread.sleep(500);
        assertThat(backend.predictCalls.get()).isLessThanOrEqualTo(calls + 1);
        long unpredicted = onFx(() -> ctx.images().items().stream().filter(i -> i.prediction() == null).count());
        assertThat(unpredicted).as("images left unpredicted after cancel").isGreaterThan(10);
        assertThat(onFx(() -> ctx.images().items().size())).as("cancel keeps the list").isEqualTo(listed + many.size());
        assertThat(many).hasSize(24);
        // "Predict all again" resumes the rest.
        backend.predictDelayMillis = 0;
        onFx(() -> ctx.images().predictAll());
        waitUntil("all predicted", 60, () -> ctx.images().items().stream().allMatch(i -> i.prediction() != null));
    }
}
