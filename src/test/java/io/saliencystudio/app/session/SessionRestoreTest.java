package io.saliencystudio.app.session;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppContext;
import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.app.images.ImageItem;
import io.saliencystudio.app.status.Notice;
import io.saliencystudio.engine.model.LayerTap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Platform;
import org.junit.jupiter.api.Test;

/**
 * The session survives a crash: what the user did (images listed, the selected one, its class, layer and note, the
 * model) is on disk within about a second without any clean shutdown, and a second app started on the same files
 * shows it all again. Files gone since are skipped with a notice; a damaged session file is set aside with one.
 */
class SessionRestoreTest extends WindowTestBase {

    private AppContext second(String name) {
        return onFx(() -> new AppContext(AppTestKit.config(tmp), new TestBackend(), AppTestKit.freshPrefs(name),
                Platform::runLater, null));
    }

    private Path sessionFile() {
        return AppTestKit.config(tmp).sessionFile();
    }

    @Test
    void theWorkIsSavedAsTheUserGoesAndRestoredAfterACrash() throws Exception {
        awaitFirstExplanation();
        List<Path> mine = AppTestKit.copySamples(defaultModel(), tmp.resolve("mine"), 3);
        onFx(() -> ctx.images().add(mine));
        // The samples of the default model may already be listed: wait for these files, not for a count.
        Path wanted = mine.get(1).toAbsolutePath().normalize();
        waitUntil("listed", 30, () -> onFx(() -> ctx.images().items().stream()
                .anyMatch(i -> i.source().path().equals(wanted))));
        ImageItem chosen = onFx(() -> ctx.images().items().stream()
                .filter(i -> i.source().path().equals(mine.get(1).toAbsolutePath().normalize())).findFirst().orElseThrow());
        onFx(() -> ctx.images().selectedProperty().set(chosen));
        waitUntil("chosen image explained", 30, () -> ctx.explain().outcome() != null
                && ctx.explain().outcome().query().image().equals(chosen.source()) && !ctx.explain().busyProperty().get());
        int cls = onFx(() -> ctx.explain().topClasses().get(2).index());
        LayerTap layer = onFx(() -> ctx.explain().layers().get(1));
        assertThat(layer.displayName()).isNotEqualTo(onFx(() -> ctx.explain().layer().displayName()));
        onFx(() -> {
            ctx.explain().selectLayer(layer);
            ctx.explain().selectClass(cls);
            chosen.noteProperty().set("looks at the background?");
        });
        waitUntil("class and layer explained", 30, () -> ctx.explain().outcome() != null
                && ctx.explain().outcome().target().index() == cls && !ctx.explain().busyProperty().get());
        List<String> listed = onFx(() -> ctx.images().items().stream().map(i -> i.source().path().toString()).toList());

        // No close(): the file must already hold everything (debounced writes, at most 2 s behind).
        waitUntil("session on disk", 10, () -> {
            try {
                String json = Files.readString(sessionFile());
                return json.contains("looks at the background?") && json.contains("\"classIndex\" : " + cls);
            } catch (Exception e) {
                return false;
            }
        });
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }

        AppContext after = second("restart");
        try {
            onFx(after::start);
            waitUntil("restored and explained", 60, () -> after.explain().outcome() != null
                    && !after.explain().busyProperty().get()
                    && after.explain().outcome().target().index() == cls);
            assertThat(onFx(() -> after.images().items().stream().map(i -> i.source().path().toString()).toList()))
                    .isEqualTo(listed);
            assertThat(onFx(() -> after.images().selected().source())).isEqualTo(chosen.source());
            assertThat(onFx(() -> after.images().selected().noteProperty().get())).isEqualTo("looks at the background?");
            assertThat(onFx(() -> after.explain().outcome().query().layer())).isEqualTo(layer.displayName());
            assertThat(onFx(() -> after.models().loaded().modelPackage().location()))
                    .isEqualTo(defaultModel().toAbsolutePath().normalize());
            assertThat(onFx(() -> after.notices().history())).extracting(Notice::message)
                    .noneMatch(m -> m.contains("session"));
        } finally {
            onFx(after::close);
        }
    }

    @Test
    void missingImagesAreSkippedWithANoticeAndADamagedSessionIsSetAside() throws Exception {
        awaitFirstExplanation();
        // The window's own app would keep saving its session over the one written below: close it first.
        onFx(ctx::close);
        ctx = null;
        List<Path> files = AppTestKit.copySamples(defaultModel(), tmp.resolve("some"), 3);
        SessionStore store = new SessionStore(sessionFile());
        store.write(new SessionState(SessionState.FORMAT, defaultModel().toAbsolutePath().normalize().toString(),
                files.get(2).toString(), files.stream().map(p -> new SessionState.Image(p.toString(), null, null,
                        null, null)).toList()));
        Files.delete(files.get(0));
        Files.delete(files.get(1));

        AppContext after = second("missing");
        try {
            onFx(after::start);
            waitUntil("restored", 60, () -> after.explain().outcome() != null && !after.explain().busyProperty().get());
            assertThat(onFx(() -> after.images().items().stream().map(i -> i.source().path()).toList()))
                    .containsExactly(files.get(2).toAbsolutePath().normalize());
            assertThat(onFx(() -> after.notices().history())).extracting(Notice::message)
                    .contains("2 images from the last session are no longer there and were skipped: copy-000.png, "
                            + "copy-001.png.");
        } finally {
            onFx(after::close);
        }

        Files.writeString(sessionFile(), "{\"format\": 1, \"images\": [ {\"path\": \"/x.png\" ");
        AppContext fresh = second("damaged");
        try {
            onFx(fresh::start);
            waitUntil("started", 60, () -> fresh.explain().outcome() != null && !fresh.explain().busyProperty().get());
            assertThat(onFx(() -> fresh.notices().history())).extracting(Notice::message)
                    .contains("The last session could not be restored (its file is damaged; kept as session.json.bad). "
                            + "The app started with a fresh one.");
            assertThat(sessionFile().resolveSibling("session.json.bad")).hasContent(
                    "{\"format\": 1, \"images\": [ {\"path\": \"/x.png\" ");
            // Started like a first run: the model's samples, the first one explained.
            assertThat(onFx(() -> fresh.images().items().get(0).source().path()))
                    .startsWith(AppTestKit.samplesOf(defaultModel()));
        } finally {
            onFx(fresh::close);
        }
    }
}
