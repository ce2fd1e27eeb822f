package io.saliencystudio.app.service;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.TestBackend;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.application.Platform;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.testfx.api.FxToolkit;

/** An {@link InferenceService} over the real engine (through a {@link TestBackend}), with the UI thread running. */
@Tag("ui")
abstract class ServiceFixture {

    protected TestBackend backend;
    protected InferenceService service;
    protected ExecutorService io;
    protected static LoadedModel model;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
        model = TestBackend.model(AppTestKit.defaultModel());
    }

    @BeforeEach
    void build() {
        backend = new TestBackend();
        io = Executors.newFixedThreadPool(2);
        service = new InferenceService(backend, new ImageStore(io, 64L << 20), Platform::runLater, 64L << 20);
    }

    @AfterEach
    void close() {
        backend.close();
        io.shutdownNow();
    }
}
