package io.saliencystudio.app;

import io.saliencystudio.app.service.ExplanationBackend;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Wraps the real engine for tests: counts the calls that reached it, can make each call slow (on a single "slow
 * engine" thread, so calls still run one at a time, as on the inference thread), can rewrite explanations, and
 * shares loaded models across tests (loading costs more than most tests). A call cancelled before it started is
 * skipped, as the engine does.
 */
public final class TestBackend implements ExplanationBackend {

    private static final ExplanationEngine ENGINE = new ExplanationEngine();
    private static final Map<Path, LoadedModel> LOADED = new ConcurrentHashMap<>();

    public final AtomicInteger loads = new AtomicInteger();
    public final AtomicInteger predictCalls = new AtomicInteger();
    public final AtomicInteger explainCalls = new AtomicInteger();
    public final AtomicInteger explainRequests = new AtomicInteger();
    public final AtomicInteger skipped = new AtomicInteger();
    public volatile long explainDelayMillis;
    public volatile long predictDelayMillis;
    public volatile Function<List<Explanation>, List<Explanation>> rewrite = Function.identity();
    private final ExecutorService slow = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "test-slow-engine");
        t.setDaemon(true);
        return t;
    });

    public static ExplanationEngine engine() {
        return ENGINE;
    }

    /** A model loaded once per test JVM. */
    public static LoadedModel model(Path packageDir) {
        return LOADED.computeIfAbsent(packageDir.toAbsolutePath().normalize(), p -> {
            try {
                return ENGINE.load(ModelPackage.open(p)).join();
            } catch (Exception e) {
                throw new IllegalStateException("cannot load test model " + p, e);
            }
        });
    }

    public int engineCalls() {
        return predictCalls.get() + explainCalls.get();
    }

    @Override
    public CompletableFuture<LoadedModel> load(ModelPackage pkg, ComputeDevice device) {
        loads.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> model(pkg.location()), slow);
    }

    @Override
    public CompletableFuture<List<Prediction>> predict(LoadedModel model, List<ModelInput> inputs) {
        return slowly(predictDelayMillis, predictCalls, () -> ENGINE.predict(model, inputs));
    }

    @Override
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request) {
        explainRequests.incrementAndGet();
        return slowly(explainDelayMillis, explainCalls, () -> ENGINE.explain(model, request)).thenApply(rewrite);
    }

    /** Passes progress (and so cancellation) through to the engine, as the production backend does. */
    @Override
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request, Progress progress) {
        explainRequests.incrementAndGet();
        return slowly(explainDelayMillis, explainCalls, () -> ENGINE.explain(model, request, progress)).thenApply(rewrite);
    }

    private <T> CompletableFuture<T> slowly(long delay, AtomicInteger counter, Supplier<CompletableFuture<T>> call) {
        CompletableFuture<T> out = new CompletableFuture<>();
        slow.execute(() -> {
            if (out.isCancelled()) {
                skipped.incrementAndGet();
                return;
            }
            counter.incrementAndGet();
            try {
                if (delay > 0) {
                    Thread.sleep(delay);
                }
                out.complete(call.get().join());
            } catch (CompletionException e) {
                out.completeExceptionally(e.getCause());
            } catch (Throwable t) {
                out.completeExceptionally(t);
            }
        });
        return out;
    }

    @Override
    public CompletableFuture<Void> unload(LoadedModel model) {
        // Shared across tests: never closed.
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> gpuAvailable() {
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public void close() {
        slow.shutdownNow();
    }
}
