package io.saliencystudio.app.images;

import io.saliencystudio.app.PanelNodes;
import io.saliencystudio.engine.explain.Method;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.WindowTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/** In the window: a corrupt file gets a readable notification and a marked row; arrow keys go on to good images. */
class CorruptFileWindowTest extends WindowTestBase {

    @Test
    void corruptFileShowsAnErrorAndOtherImagesStillWork() throws Exception {
        awaitFirstExplanation();
        Path bad = tmp.resolve("truncated.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        int before = onFx(() -> ctx.images().items().size());
        onFx(() -> window.fileDrop().accept(List.of(bad)));
        waitUntil("notification shown", 30, () -> window.notifications().isShowing());
        assertThat(onFx(() -> window.notifications().getText())).contains("truncated.png").contains("other images still work");
        assertThat(onFx(() -> ctx.images().items().size())).isEqualTo(before + 1);

        // Select the broken row (last), then walk up with the arrow key to a good image.
        onFx(() -> ctx.images().selectedProperty().set(ctx.images().items().get(before)));
        waitUntil("problem in the panels", 30, () -> ctx.explain().problemProperty().get() != null);
        assertThat(onFx(() -> PanelNodes.messageLabel(window.panels().original()).getText())).contains("truncated.png");
        assertThat(onFx(() -> PanelNodes.messageLabel(window.panels().original()).isVisible())).isTrue();
        assertThat(onFx(() -> window.classes().topList().getItems())).as("no classes of another image").isEmpty();
        robot.clickOn("#images");
        onFx(() -> window.imageList().list().getSelectionModel().clearAndSelect(before));
        robot.type(KeyCode.UP);
        waitUntil("previous image explained", 30, () -> ctx.explain().outcome() != null && !ctx.explain().busyProperty().get());
        assertThat(onFx(() -> ctx.explain().outcome().query().image())).isEqualTo(onFx(() -> ctx.images().items().get(before - 1).source()));
        assertThat(onFx(() -> PanelNodes.messageLabel(window.panels().original()).isVisible())).isFalse();
        assertThat(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.GRADCAM)))).isNotNull();
    }
}
