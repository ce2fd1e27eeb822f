package io.saliencystudio.app;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.dialog.DialogService;
import java.nio.file.Path;
import java.util.List;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

/** The menu commands against scripted dialogs: what they ask, and what they do with the answer. */
class MainCommandsTest {

    @TempDir
    Path tmp;

    private AppContext ctx;
    private final ScriptedDialogs dialogs = new ScriptedDialogs();
    private MainCommands commands;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void start() {
        AppConfig cfg = new AppConfig(AppTestKit.MODELS, tmp.resolve("no-samples"), tmp.resolve("logs"),
                tmp.resolve("pasted"), 64L << 20, 64L << 20, tmp.resolve("my-models"));
        ctx = onFx(() -> new AppContext(cfg, new TestBackend(), AppTestKit.freshPrefs("MainCommandsTest"),
                Platform::runLater, null));
        Stage owner = onFx(() -> new Stage());
        commands = onFx(() -> new MainCommands(ctx, owner, dialogs, List::of));
        onFx(() -> ctx.start());
        waitUntil("model loaded", 60, () -> ctx.models().loaded() != null);
    }

    @AfterEach
    void stop() {
        onFx(() -> ctx.close());
    }

    @Test
    void aChosenFolderIsListedAndRememberedForNextTime() throws Exception {
        Path folder = tmp.resolve("pictures");
        AppTestKit.copySamples(AppTestKit.defaultModel(), folder, 2);
        dialogs.files.add(List.of(folder));
        onFx(() -> commands.openFolder());
        assertThat(dialogs.asked).containsExactly("Open a folder of images");
        waitUntil("2 listed", 30, () -> ctx.images().items().size() == 2);
        assertThat(ctx.prefs().lastDirectory()).contains(folder.toAbsolutePath().toString());

        dialogs.files.add(List.of()); // cancelled: nothing changes
        onFx(() -> commands.openImages());
        assertThat(dialogs.questions.get(1).initialDirectory()).isEqualTo(folder.toAbsolutePath());
        assertThat(dialogs.questions.get(1).filters()).extracting(DialogService.FileFilter::description)
                .containsExactly("Images", "All files");
        assertThat(onFx(() -> ctx.images().items().size())).isEqualTo(2);
    }

    @Test
    void aModelFromElsewhereIsOfferedToTheUsersModels() throws Exception {
        Path outside = tmp.resolve("elsewhere").resolve("model.pt");
        java.nio.file.Files.createDirectories(outside.getParent());
        java.nio.file.Files.copy(Path.of("src/test/resources/models/not-a-model.pt"), outside);
        dialogs.files.add(List.of(outside));
        dialogs.answers.add(false); // "Just open it"
        onFx(() -> commands.openModel());
        assertThat(dialogs.asked).containsExactly(
                "Open a model: a package's manifest.json or model.pt, or a bare TorchScript .pt",
                "Add model.pt to your models?");
    }

    @Test
    void theAboutBoxNamesTheFoldersAndTheCache() {
        onFx(() -> commands.showAbout());
        assertThat(dialogs.asked).containsExactly("Saliency Studio");
        assertThat(dialogs.shown.get(0)).startsWith("Saliency maps and Grad-CAM for TorchScript image classifiers.")
                .contains("Models: " + AppTestKit.MODELS).endsWith("Cached maps: 0");
    }

    @Test
    void figureFileNamesGetTheChosenFiltersExtension() {
        var svg = FigureExportCommand.FIGURE_FILTERS.get(1);
        assertThat(svg.extension()).isEqualTo(".svg");
        assertThat(FigureExportCommand.withExtension(Path.of("/x/fig"), svg)).isEqualTo(Path.of("/x/fig.svg"));
        assertThat(FigureExportCommand.withExtension(Path.of("/x/fig.pdf"), svg)).isEqualTo(Path.of("/x/fig.pdf"));
        assertThat(FigureExportCommand.withExtension(Path.of("/x/fig"), null)).isEqualTo(Path.of("/x/fig.png"));
    }
}
