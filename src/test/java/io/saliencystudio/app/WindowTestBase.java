package io.saliencystudio.app;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;

import io.saliencystudio.app.prefs.AppPreferences;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * The real window on a headless stage, with the real engine behind a {@link TestBackend}; each test gets a fresh
 * context and preferences, and starts the way the app starts (default model, its samples, first one explained).
 */
@Tag("ui")
public abstract class WindowTestBase {

    @TempDir
    protected Path tmp;

    protected final FxRobot robot = new FxRobot();
    protected TestBackend backend;
    protected AppContext ctx;
    protected MainWindow window;
    protected AppPreferences prefs;
    protected Stage stage;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @BeforeEach
    void openWindow() {
        prefs = AppTestKit.freshPrefs(getClass().getSimpleName());
        backend = new TestBackend();
        configure(backend);
        onFx(() -> {
            Theme.apply(false);
            stage = new Stage();
            ctx = new AppContext(AppTestKit.config(tmp), backend, prefs, Platform::runLater, null);
            window = new MainWindow(ctx, stage);
            window.show();
            stage.toFront();
            ctx.start();
        });
    }

    /** Hook for tests that need a slow or rewriting backend from the start. */
    protected void configure(TestBackend b) {}

    /** Waits until the first sample is explained on screen. */
    protected void awaitFirstExplanation() {
        waitUntil("the first sample explained", 60, () -> ctx.explain().outcome() != null
                && !ctx.explain().busyProperty().get());
    }

    /** File > Open data set… on {@code folder} once the app has started; waits until its {@code rows} are audited. */
    protected io.saliencystudio.app.dataset.DatasetWindow openAuditedDataset(Path folder, int rows) {
        awaitFirstExplanation();
        onFx(() -> window.commands().openDataset(folder));
        var vm = ctx.dataset();
        waitUntil(rows + " rows audited", 60, () -> vm.rows().size() == rows && !vm.runningProperty().get());
        var w = onFx(() -> window.commands().datasetWindow());
        waitUntil("the data set window built", 20, () -> onFx(w::ready)); // it builds its parts a pulse each
        AppTestKit.settle();
        return w;
    }

    @AfterEach
    void closeWindow() {
        onFx(() -> {
            if (ctx != null) {
                ctx.close();
            }
            if (stage != null) {
                stage.close();
            }
        });
    }

    protected static Path defaultModel() {
        return AppTestKit.defaultModel();
    }
}
