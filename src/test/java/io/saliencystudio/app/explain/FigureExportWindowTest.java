package io.saliencystudio.app.explain;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.figure.FigureSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.image.ImageView;
import org.junit.jupiter.api.Test;

/** The export dialog and the export job in the real (headless) window. */
class FigureExportWindowTest extends WindowTestBase {

    @Test
    void dialogPreviewsInTheBackgroundAndExportLeavesTheFxThreadAlone() throws Exception {
        awaitFirstExplanation();
        var out = onFx(() -> ctx.explain().outcome());
        FigureExport export = new FigureExport(ctx.io());
        AtomicReference<FigureExportDialog> dialog = new AtomicReference<>();
        onFx(() -> {
            FigureExportDialog d = new FigureExportDialog(stage, export, List.of(out),
                    ctx.display().colormapProperty().get(), ctx.display().opacityProperty(Method.SALIENCY).get(), 150);
            dialog.set(d);
            d.show();
        });
        waitUntil("the preview", 30, () -> onFx(() -> ((ImageView) dialog.get().getDialogPane()
                .lookup("#figure-preview")).getImage() != null));
        FigureExport.Settings s = onFx(() -> dialog.get().settings());
        assertThat(s.layout()).isEqualTo(FigureSpec.Layout.ROW);
        // The choice box shows words, not the enum's name.
        String shown = onFx(() -> {
            var box = (javafx.scene.control.ChoiceBox<?>) dialog.get().getDialogPane().lookup("#figure-layout");
            box.applyCss();
            box.layout();
            return box.lookupAll(".label").stream().map(n -> ((javafx.scene.control.Label) n).getText())
                    .filter(t -> t != null && !t.isEmpty()).findFirst().orElse("");
        });
        assertThat(shown).isEqualTo("Row: the image and each method");
        assertThat(s.dpi()).isEqualTo(150);
        assertThat(s.colormap()).isEqualTo(ctx.display().colormapProperty().get());
        onFx(() -> dialog.get().close());

        Path png = tmp.resolve("view.png");
        var result = onFx(() -> export.export(List.of(out), s, png, f -> false)).get(60, TimeUnit.SECONDS);
        assertThat(result).isPresent();
        assertThat(export.lastExportThread()).startsWith("image-io-").isNotEqualTo("JavaFX Application Thread");
    }

    @Test
    void statusBarShowsABackgroundExport() {
        awaitFirstExplanation();
        onFx(() -> ctx.status().beginTask("Exporting view.png…"));
        assertThat(onFx(() -> ctx.status().messageProperty().get())).isEqualTo("Exporting view.png…");
        assertThat(onFx(() -> ctx.status().workingProperty().get())).isTrue();
        onFx(() -> ctx.status().endTask());
        assertThat(onFx(() -> ctx.status().messageProperty().get())).isNotEqualTo("Exporting view.png…");
    }

    @Test
    void successNoticeCarriesAShowInFolderAction() {
        AtomicReference<Boolean> ran = new AtomicReference<>(false);
        onFx(() -> ctx.notices().info("Saved x.png", "Show in folder", () -> ran.set(true)));
        var n = onFx(() -> ctx.notices().latestProperty().get());
        assertThat(n.actionText()).isEqualTo("Show in folder");
        n.action().run();
        assertThat(ran.get()).isTrue();
    }
}
