package io.saliencystudio.app.images;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.app.status.Notice;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every file of the image corpus dropped on the window at once: the readable ones get previews, the others a marked
 * row with the loader's sentence and one notification for the batch; choosing a broken row shows its message in
 * place of maps, and choosing a good one after it is explained as usual.
 */
class ImageCorpusWindowTest extends WindowTestBase {

    static final Path CORPUS = Path.of("src/test/resources/corpus/images").toAbsolutePath();
    static final Map<String, String> REFUSED = Map.of(
            "zero-byte.png", "is empty (0 bytes): it is not an image",
            "truncated.png", "could not be decoded (truncated or corrupt file?); re-save it or use another copy",
            "truncated.jpg", "could not be decoded (truncated or corrupt file?); re-save it or use another copy",
            "html-named.png", "is not an image in a format this app reads (PNG, JPEG, GIF, BMP, TIFF): convert it to PNG or JPEG",
            "unsupported.webp", "is not an image in a format this app reads (PNG, JPEG, GIF, BMP, TIFF): convert it to PNG or JPEG");

    @Test
    void theWholeCorpusDroppedAtOnceMarksTheBadFilesAndTheGoodOnesStillExplain() throws Exception {
        awaitFirstExplanation();
        List<Path> files;
        try (var s = Files.list(CORPUS)) {
            files = s.sorted().toList();
        }
        int before = onFx(() -> ctx.images().items().size());
        onFx(() -> window.fileDrop().accept(files));
        waitUntil("every file previewed or marked", 60, () -> ctx.images().items().size() == before + files.size()
                && ctx.images().items().stream().skip(before)
                        .allMatch(i -> i.failed() || i.thumbnailProperty().get() != null));

        Map<String, String> errors = onFx(() -> ctx.images().items().stream().skip(before).filter(ImageItem::failed)
                .collect(Collectors.toMap(ImageItem::name, i -> i.errorProperty().get())));
        assertThat(errors.keySet()).containsExactlyInAnyOrderElementsOf(REFUSED.keySet());
        REFUSED.forEach((name, says) -> assertThat(errors.get(name)).as(name).contains(name + " " + says));
        assertThat(onFx(() -> ctx.notices().history().stream().map(Notice::message).toList()))
                .contains(REFUSED.size() + " files could not be read (first: " + errors.get(files.stream()
                        .map(p -> p.getFileName().toString()).filter(REFUSED::containsKey).findFirst().orElseThrow())
                        + "). The other images still work.");

        // A broken row shows its sentence where the maps would be; the next good one is explained.
        ImageItem broken = onFx(() -> ctx.images().items().stream().filter(i -> i.name().equals("html-named.png"))
                .findFirst().orElseThrow());
        onFx(() -> ctx.images().selectedProperty().set(broken));
        waitUntil("problem shown", 30, () -> ctx.explain().problemProperty().get() != null);
        assertThat(onFx(() -> ctx.explain().problemProperty().get())).contains("html-named.png")
                .contains("convert it to PNG or JPEG");
        for (String good : List.of("exif-rotated.jpg", "one-pixel.png", "cmyk.jpg")) {
            ImageItem item = onFx(() -> ctx.images().items().stream().filter(i -> i.name().equals(good))
                    .findFirst().orElseThrow());
            onFx(() -> ctx.images().selectedProperty().set(item));
            waitUntil(good + " explained", 30, () -> ctx.explain().outcome() != null
                    && ctx.explain().outcome().query().image().equals(item.source())
                    && !ctx.explain().busyProperty().get());
            assertThat(onFx(() -> ctx.explain().problemProperty().get())).isNull();
            assertThat(onFx(() -> ctx.explain().topClasses())).isNotEmpty();
        }
        // The EXIF-rotated photo was explained upright: 16 wide, 32 high as shown.
        ImageItem rotated = onFx(() -> ctx.images().items().stream().filter(i -> i.name().equals("exif-rotated.jpg"))
                .findFirst().orElseThrow());
        assertThat(onFx(() -> rotated.thumbnailProperty().get().getHeight() > rotated.thumbnailProperty().get()
                .getWidth())).isTrue();
    }
}
