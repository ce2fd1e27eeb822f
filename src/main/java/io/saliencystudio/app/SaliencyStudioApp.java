package io.saliencystudio.app;

import io.saliencystudio.app.prefs.AppPreferences;
import io.saliencystudio.app.service.EngineBackend;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.TorchRuntime;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
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
     * Intra-op threads for the desktop app unless set with {@code -Dai.djl.pytorch.num_threads}: half the cores. The
     * app's own threads (UI, rendering, decoding) need CPU too, and oversubscribed libtorch threads are slow: on a
     * busy 2-core machine a 28x28 explanation took ~250 ms with 2 threads and ~6 ms with 1.
     */
    static int appThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }

    @Override
    public void init() {
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(appThreads()));
        }
        TorchRuntime.configure();
        logFile = AppLog.install(AppConfig.fromSystemProperties().logDir());
    }

    @Override
    public void start(Stage stage) {
        AppPreferences prefs = AppPreferences.fromSystemProperty();
        Theme.apply(prefs.darkTheme());
        AppConfig config = AppConfig.fromSystemProperties();
        context = new AppContext(config, new EngineBackend(new ExplanationEngine()), prefs, Platform::runLater,
                logFile);
        FigureExportCommand.setHostServices(getHostServices());
        window = new MainWindow(context, stage);
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
