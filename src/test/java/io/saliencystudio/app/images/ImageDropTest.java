package io.saliencystudio.app.images;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppConfig;
import io.saliencystudio.app.AppContext;
import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.TestBackend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

/** Drops through the window's drop handler, checked on the view-model (no robot needed). */
@Tag("ui")
class ImageDropTest {

    @TempDir
    Path tmp;

    private AppContext ctx;
    private FileDrop drop;
    private TestBackend backend;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void start() {
        backend = new TestBackend();
        // No sample folder: the list starts empty, so only what is dropped is listed.
        AppConfig cfg = new AppConfig(AppTestKit.MODELS, tmp.resolve("no-samples"), tmp.resolve("logs"),
                tmp.resolve("pasted"), 64L << 20, 64L << 20);
        ctx = onFx(() -> new AppContext(cfg, backend, AppTestKit.freshPrefs("ImageDropTest"), Platform::runLater, null));
        drop = new FileDrop(paths -> ctx.images().open(paths), path -> ctx.models().open(path));
        onFx(() -> ctx.start());
        waitUntil("model loaded", 60, () -> ctx.models().loaded() != null);
    }

    @AfterEach
    void stop() {
        onFx(() -> ctx.close());
    }

    @Test
    void droppedFilesAndFoldersAreListedWithPreviewsAndPredictions() throws Exception {
        List<Path> loose = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp.resolve("loose"), 2);
        Path folder = tmp.resolve("folder");
        AppTestKit.copySamples(AppTestKit.defaultModel(), folder.resolve("nested"), 3);
        Files.writeString(folder.resolve("notes.txt"), "not an image");

        onFx(() -> drop.accept(List.of(loose.get(0), loose.get(1), folder)));
        waitUntil("5 listed", 30, () -> ctx.images().items().size() == 5);
        assertThat(onFx(() -> ctx.images().items().stream().map(ImageItem::name).toList()))
                .containsExactly("copy-000.png", "copy-001.png", "copy-000.png", "copy-001.png", "copy-002.png");
        waitUntil("previews and predictions", 60, () -> ctx.images().items().stream()
                .allMatch(i -> i.thumbnailProperty().get() != null && i.prediction() != null));
        assertThat(onFx(() -> ctx.images().items().get(0).thumbnailProperty().get().getWidth())).isGreaterThan(10);
        // The first dropped file is selected and explained.
        assertThat(onFx(() -> ctx.images().selected().name())).isEqualTo("copy-000.png");
        waitUntil("explained", 30, () -> ctx.explain().outcome() != null);

        // Dropping the same files again lists nothing twice.
        onFx(() -> drop.accept(List.of(loose.get(0), folder)));
        Thread.sleep(300);
        assertThat(onFx(() -> ctx.images().items().size())).isEqualTo(5);
    }

    @Test
    void anImageOpenedLaterIsSelectedAndExplainedNotJustAppended() throws Exception {
        List<Path> first = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp.resolve("first"), 2);
        onFx(() -> drop.accept(first));
        waitUntil("first explained", 30, () -> ctx.explain().outcome() != null
                && ctx.explain().outcome().query().image().name().equals("copy-000.png"));
        Path later = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp.resolve("later"), 3).get(2);
        onFx(() -> drop.accept(List.of(later)));
        waitUntil("3 listed", 30, () -> ctx.images().items().size() == 3);
        waitUntil("the opened image selected", 30, () -> ctx.images().selected().source().path().equals(later));
        waitUntil("and explained", 30, () -> ctx.explain().outcome() != null
                && ctx.explain().outcome().query().image().name().equals("copy-002.png"));
        // Opening one already listed selects it again.
        onFx(() -> drop.accept(List.of(first.get(1))));
        waitUntil("re-opened selected", 30, () -> ctx.images().selected().source().path().equals(first.get(1)));
        assertThat(onFx(() -> ctx.images().items().size())).isEqualTo(3);
    }

    @Test
    void modelFilesInADropAreOpenedAsModelsNotImages() throws Exception {
        Path img = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp.resolve("x"), 1).get(0);
        var routed = FileDrop.route(List.of(img, AppTestKit.defaultModel(), tmp.resolve("some.pt")));
        assertThat(routed.images()).containsExactly(img);
        assertThat(routed.models()).containsExactly(AppTestKit.defaultModel(), tmp.resolve("some.pt"));
    }

    @Test
    void aCorruptFileIsMarkedAndReportedWhileTheOthersWork() throws Exception {
        List<Path> good = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp.resolve("mix"), 2);
        Path corrupt = tmp.resolve("mix").resolve("broken.png");
        byte[] png = Files.readAllBytes(good.get(0));
        Files.write(corrupt, java.util.Arrays.copyOf(png, png.length / 3));

        onFx(() -> drop.accept(List.of(corrupt, good.get(0), good.get(1))));
        waitUntil("reported", 30, () -> ctx.notices().latestProperty().get() != null);
        String notice = onFx(() -> ctx.notices().latestProperty().get().message());
        assertThat(notice).contains("broken.png").contains("other images still work");
        ImageItem broken = onFx(() -> ctx.images().items().get(0));
        assertThat(onFx(() -> broken.errorProperty().get())).contains("broken.png");
        // The broken file was selected first: the panels say why instead of showing a map.
        waitUntil("problem shown", 30, () -> ctx.explain().problemProperty().get() != null);
        assertThat(onFx(() -> ctx.explain().problemProperty().get())).contains("broken.png");
        // The good ones are predicted, and explaining one works.
        waitUntil("good ones predicted", 60, () -> ctx.images().items().stream().filter(i -> !i.failed())
                .allMatch(i -> i.prediction() != null));
        onFx(() -> ctx.images().step(1));
        waitUntil("good one explained", 30, () -> ctx.explain().outcome() != null);
        assertThat(onFx(() -> ctx.explain().outcome().query().image().name())).isEqualTo("copy-000.png");
        assertThat(onFx(() -> ctx.explain().problemProperty().get())).isNull();
    }

    @Test
    void aFolderWithoutImagesSaysSo() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        onFx(() -> drop.accept(List.of(empty)));
        waitUntil("warning", 30, () -> ctx.notices().latestProperty().get() != null);
        assertThat(onFx(() -> ctx.notices().latestProperty().get().message())).startsWith("No images found in empty");
        assertThat(onFx(() -> ctx.images().items())).isEmpty();
    }

    @Test
    void pastedPathTextIsTurnedIntoFiles() throws Exception {
        List<Path> files = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp.resolve("p"), 2);
        String text = files.get(0) + "\n" + files.get(1).toUri() + "\nnot a path\n";
        assertThat(ClipboardImport.pathsIn(text)).containsExactly(files.get(0), files.get(1));
    }
}
