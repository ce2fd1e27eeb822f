package io.saliencystudio.app;

import io.saliencystudio.app.service.ExplanationBackend;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.engine.sanity.CascadingRandomization;
import io.saliencystudio.engine.sanity.SanityReport;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * skipped, as the engine does. Tests that need no real maps use {@link FakeBackend} instead: no libtorch, no threads.
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
    /** Every explain request that reached this backend, in order. */
    public final List<ExplainRequest> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** One engine call as asked: the model and the source path of each input (explain and predict alike). */
    public record Asked(String kind, LoadedModel model, List<String> sources) {}
    /** Every explain and predict call that reached this backend, with its model, in order. */
    public final List<Asked> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final AtomicInteger networkCalls = new AtomicInteger();
    /** The protocol of every faithfulness evaluation asked of this backend, in order. */
    public final List<FaithfulnessSettings> protocols = new java.util.concurrent.CopyOnWriteArrayList<>();
    public final AtomicInteger sanityCalls = new AtomicInteger();
    /** Above 0: requests with only multi-pass methods are faked (see {@link #fakeMultiPass}) with this many steps. */
    public volatile int fakeMultiPassSteps;
    /** When set, the sanity check answers this at once instead of running. */
    public volatile SanityReport sanityReport;
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
        asked.add(new Asked("predict", model, inputs.stream().map(ModelInput::source).toList()));
        return slowly(predictDelayMillis, predictCalls, () -> ENGINE.predict(model, inputs));
    }

    @Override
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request) {
        return explain(model, request, Progress.NONE);
    }

    @Override
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request,
            Progress progress) {
        explainRequests.incrementAndGet();
        requests.add(request);
        asked.add(new Asked("explain", model, request.inputs().stream().map(ModelInput::source).toList()));
        boolean fake = fakeMultiPassSteps > 0 && request.methods().stream().noneMatch(Method::singlePass);
        return slowly(explainDelayMillis, explainCalls, () -> fake ? fakeMultiPass(model, request, progress)
                : ENGINE.explain(model, request, progress)).thenApply(rewrite);
    }

    /**
     * Stands in for a multi-pass method (whose engine code may not exist yet): the saliency map under the method's
     * name, after {@code fakeMultiPassSteps} steps of 20 ms that report progress and honour cancellation as the
     * engine's passes do.
     */
    private CompletableFuture<List<Explanation>> fakeMultiPass(LoadedModel model, ExplainRequest request,
            Progress progress) {
        List<Explanation> base = ENGINE.explain(model, new ExplainRequest(request.inputs(), request.targets(),
                Set.of(Method.SALIENCY), null)).join();
        int steps = fakeMultiPassSteps;
        for (int i = 0; i < steps; i++) {
            progress.advance(i, steps, "pass");
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted");
            }
        }
        progress.advance(steps, steps, "pass");
        List<Explanation> out = new java.util.ArrayList<>();
        for (Explanation e : base) {
            var sal = e.result(Method.SALIENCY);
            Map<Method, io.saliencystudio.engine.explain.MethodResult> maps = new java.util.EnumMap<>(Method.class);
            for (Method m : request.methods()) {
                maps.put(m, new io.saliencystudio.engine.explain.MethodResult(m, sal.map(), null, null, 1,
                        request.settings().describe(m)));
            }
            out.add(new Explanation(e.source(), e.prediction(), e.target(), maps));
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public <T> CompletableFuture<T> withNetwork(LoadedModel model, int batchSize, Function<Network, T> work) {
        return slowly(0, networkCalls, () -> ENGINE.withNetwork(model, batchSize, work));
    }

    @Override
    public CompletableFuture<Faithfulness> faithfulness(LoadedModel model, int batchSize, ModelInput input, int target,
            Heatmap map, FaithfulnessSettings protocol, Progress progress) {
        protocols.add(protocol);
        return ExplanationBackend.super.faithfulness(model, batchSize, input, target, map, protocol, progress);
    }

    @Override
    public CompletableFuture<SanityReport> sanityCheck(LoadedModel model, ModelInput input, Integer target,
            Set<Method> methods, String layer, MethodSettings settings, long seed, Progress progress) {
        sanityCalls.incrementAndGet();
        SanityReport fake = sanityReport;
        if (fake != null) {
            return CompletableFuture.completedFuture(fake);
        }
        return CascadingRandomization.run(ENGINE, model.modelPackage(), input, target, methods, layer, settings,
                seed, progress);
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
