package io.saliencystudio.app;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.service.EngineBackend;
import io.saliencystudio.app.service.ExplanationBackend;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.figure.SafeWrite;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.InferenceThread;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

/**
 * The app's shutdown path ({@link AppContext#close()}, what {@code Application.stop} calls) while work is running:
 * with its own real engine, closing in the middle of predicting a folder and explaining returns promptly, unloads
 * the model and ends the inference thread; a figure export that is writing either completes whole or leaves nothing.
 */
@Tag("ui")
class ShutdownTest {

    @TempDir
    Path tmp;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    /** The production backend on a fresh engine, recording what was unloaded. */
    static final class RecordingBackend implements ExplanationBackend {
        final EngineBackend real = new EngineBackend(new ExplanationEngine());
        final List<LoadedModel> unloaded = new CopyOnWriteArrayList<>();

        @Override
        public CompletableFuture<LoadedModel> load(ModelPackage pkg, ComputeDevice device) {
            return real.load(pkg, device);
        }

        @Override
        public CompletableFuture<List<Prediction>> predict(LoadedModel model, List<ModelInput> inputs) {
            return real.predict(model, inputs);
        }

        @Override
        public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request) {
            return real.explain(model, request);
        }

        @Override
        public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request, Progress p) {
            return real.explain(model, request, p);
        }

        @Override
        public CompletableFuture<Void> unload(LoadedModel model) {
            return real.unload(model).thenRun(() -> unloaded.add(model));
        }

        @Override
        public CompletableFuture<Boolean> gpuAvailable() {
            return CompletableFuture.completedFuture(false);
        }

        @Override
        public void close() {
            real.close();
        }
    }

    private static long inferenceThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals(InferenceThread.NAME) && t.isAlive()).count();
    }

    @Tag("timing")
    @Test
    void closingMidComputationUnloadsTheModelAndEndsTheInferenceThreadPromptly() throws Exception {
        long before = inferenceThreads();
        RecordingBackend backend = new RecordingBackend();
        AppContext ctx = onFx(() -> new AppContext(AppTestKit.config(tmp), backend, AppTestKit.freshPrefs("shutdown"),
                Platform::runLater, null));
        assertThat(inferenceThreads()).isEqualTo(before + 1);
        onFx(ctx::start);
        waitUntil("first explanation", 60, () -> ctx.explain().outcome() != null);
        LoadedModel model = onFx(() -> ctx.models().loaded());
        AppTestKit.copySamples(AppTestKit.defaultModel(), tmp.resolve("many"), 200);
        onFx(() -> ctx.images().add(List.of(tmp.resolve("many"))));
        waitUntil("predicting the folder", 30, () -> ctx.inference().predictions().runningProperty().get()
                && ctx.inference().predictions().completedProperty().get() > 5);
        onFx(() -> ctx.explain().selectClass(1));

        long start = System.nanoTime();
        onFx(ctx::close);
        double closeMs = (System.nanoTime() - start) / 1e6;
        System.out.printf("AppContext.close() mid-computation took %.0f ms%n", closeMs);
        assertThat(closeMs).as("close (ms)").isLessThan(3000);
        assertThat(backend.unloaded).containsExactly(model);
        waitUntil("inference thread ended", 5, () -> inferenceThreads() == before);
        assertThat(ctx.inference().predictions().runningProperty().get()).isFalse();
    }

    @Tag("timing")
    @Test
    void closingMidExportLeavesTheWholeFigureOrNothing() throws Exception {
        AppContext ctx = onFx(() -> new AppContext(AppTestKit.config(tmp), new TestBackend(),
                AppTestKit.freshPrefs("shutdown-export"), Platform::runLater, null));
        Path out = Files.createDirectories(tmp.resolve("figures"));
        AtomicReference<Throwable> quick = new AtomicReference<>();
        AtomicReference<Throwable> endless = new AtomicReference<>();
        // One export that needs ~1 s more: it is allowed to finish. One that would take minutes: abandoned.
        ctx.io().execute(() -> write(out.resolve("quick.png"), 50, quick));
        ctx.io().execute(() -> write(out.resolve("endless.png"), 1_000_000, endless));
        waitUntil("both writing", 10, () -> {
            try (var s = Files.list(out)) {
                return s.filter(p -> p.getFileName().toString().endsWith(".part")).count() == 2;
            } catch (IOException e) {
                return false;
            }
        });

        long start = System.nanoTime();
        onFx(ctx::close);
        double closeMs = (System.nanoTime() - start) / 1e6;
        // The grace period, plus saving preferences (~1 s on this machine), plus slack for a loaded machine.
        assertThat(closeMs).isLessThan((AppContext.EXPORT_GRACE_SECONDS + 5) * 1000);
        try (var s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("quick.png");
        }
        assertThat(Files.size(out.resolve("quick.png"))).isEqualTo(50 * 1024);
        assertThat(quick.get()).isNull();
        assertThat(endless.get()).isInstanceOf(IOException.class).hasMessageContaining("nothing was left behind");
    }

    /** Writes {@code chunks} KiB through SafeWrite, 20 ms apart, as a slow figure writer would. */
    private static void write(Path file, int chunks, AtomicReference<Throwable> error) {
        try {
            SafeWrite.write(file, false, o -> {
                byte[] kib = new byte[1024];
                for (int i = 0; i < chunks; i++) {
                    o.write(kib);
                    o.flush();
                    LockSupport.parkNanos(20_000_000L);
                }
            });
        } catch (Throwable t) {
            error.set(t);
        }
    }
}
