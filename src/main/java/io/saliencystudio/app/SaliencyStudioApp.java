package io.saliencystudio.app;

import io.saliencystudio.app.dialog.FxDialogService;
import io.saliencystudio.app.prefs.AppPreferences;
import io.saliencystudio.app.service.EngineBackend;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.runtime.CpuThreads;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.TorchRuntime;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The desktop app. Opens with the last used model (first run: {@code shapes}) loaded and its sample images listed;
 * the first sample is explained as soon as the model is ready. No network, no dialog to get started.
 */
public final class SaliencyStudioApp extends Application {

    private static final Logger LOG = LoggerFactory.getLogger(SaliencyStudioApp.class);

    private AppContext context;
    private MainWindow window;
    private Path logFile;

    public static void main(String[] args) {
        launch(SaliencyStudioApp.class, args);
    }

    /**
     * Starts logging and sets libtorch's threads: {@code SALIENCY_STUDIO_THREADS} (or {@code -Dsaliency.threads})
     * if given, else {@link CpuThreads#forDesktop()}, which leaves a core to the UI. A bad setting is logged and the
     * default used, so the window still opens.
     */
    @Override
    public void init() {
        logFile = AppLog.install(AppConfig.fromSystemProperties().logDir());
        try {
            TorchRuntime.configure(CpuThreads.forDesktop());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}; using {} threads", e.getMessage(), CpuThreads.forDesktop());
            System.setProperty(CpuThreads.DJL_PROPERTY, Integer.toString(CpuThreads.forDesktop()));
            TorchRuntime.configure();
        }
        LOG.info("libtorch intra-op threads: {}", TorchRuntime.threads());
    }

    @Override
    public void start(Stage stage) {
        AppPreferences prefs = AppPreferences.fromSystemProperty();
        Theme.apply(prefs.darkTheme());
        AppConfig config = AppConfig.fromSystemProperties();
        context = new AppContext(config, new EngineBackend(new ExplanationEngine()), prefs, Platform::runLater,
                logFile);
        window = new MainWindow(context, stage, new FxDialogService(stage, getHostServices()));
        addIcons(stage);
        window.show();
        LOG.info("window shown {} ms after JVM start", sinceStart());
        context.explain().outcomeProperty().addListener(new ChangeListener<>() {
            @Override
            public void changed(ObservableValue<? extends ExplainOutcome> o, ExplainOutcome was, ExplainOutcome now) {
                if (now != null) {
                    o.removeListener(this);
                    LOG.info("first explanation on screen {} ms after JVM start ({})", sinceStart(),
                            now.query().image().name());
                }
            }
        });
        context.start();
    }

    /** The app icon at the sizes window managers pick from (drawn by packaging/icons/make_icons.py). */
    private static void addIcons(Stage stage) {
        for (int size : new int[] {16, 32, 48, 64, 128, 256}) {
            try (InputStream in = SaliencyStudioApp.class.getResourceAsStream("icons/saliency-studio-" + size + ".png")) {
                if (in != null) {
                    stage.getIcons().add(new Image(in));
                }
            } catch (IOException e) {
                LOG.debug("window icon {} px not loaded", size, e);
            }
        }
    }

    private static long sinceStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    @Override
    public void stop() {
        if (window != null) {
            window.saveState();
        }
        if (context != null) {
            context.close();
        }
    }
}
