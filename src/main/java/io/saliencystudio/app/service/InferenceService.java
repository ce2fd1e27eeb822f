package io.saliencystudio.app.service;

import io.saliencystudio.engine.Failures;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.engine.sanity.SanityReport;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's only caller of the engine. Callbacks run on the UI executor ({@code Platform::runLater} in the app); no
 * method here blocks.
 *
 * <p><b>Latest request wins</b> ({@link RequestScheduler}): every {@link #explain} call takes a new generation
 * number. At most one explanation is with the engine at a time; requests arriving meanwhile replace each other, so
 * only the newest one runs next. A result whose generation is no longer the latest is dropped on the UI thread, so
 * it never reaches the screen, though it still fills the cache.
 *
 * <p><b>Cache</b> ({@link ExplanationCache}): maps are kept per (image, model, class, layer, method, method settings)
 * in a bounded LRU; predictions per (image, model), which also lets "explain the top class" be answered from the
 * cache. Multi-pass methods arrive one engine call each ({@link PartialOutcome}), with throttled progress
 * ({@link ProgressThrottle}).
 */
public final class InferenceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);

    /** What one {@link #explain} call asked for and where its answers go. */
    private record Request(ExplainQuery query, Consumer<ExplainOutcome> onResult, Consumer<Throwable> onError,
            Consumer<MethodProgress> onProgress) {}

    private final ExplanationBackend backend;
    private final ImageStore images;
    private final Executor fx;
    private final ExplanationCache cache;
    private final RequestScheduler<Request> scheduler = new RequestScheduler<>();
    private final PredictionQueue predictionQueue;

    public InferenceService(ExplanationBackend backend, ImageStore images, Executor fx, long cacheBytes) {
        this.backend = backend;
        this.images = images;
        this.fx = fx;
        this.cache = new ExplanationCache(cacheBytes);
        this.predictionQueue = new PredictionQueue(this, fx);
    }

    public ImageStore images() {
        return images;
    }

    /** The background job that predicts every listed image. */
    public PredictionQueue predictions() {
        return predictionQueue;
    }

    /** Loads a model on the inference thread; the future completes there (callers hop to the UI thread). */
    public CompletableFuture<LoadedModel> load(ModelPackage pkg, ComputeDevice device) {
        return backend.load(pkg, device);
    }

    /** Frees a model's native memory after the work queued before it. Cached maps of other models stay. */
    public void unload(LoadedModel model) {
        backend.unload(model).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("unloading {} failed", model.manifest().id(), e);
            }
        });
    }

    public CompletableFuture<Boolean> gpuAvailable() {
        return backend.gpuAvailable();
    }

    /**
     * Computes (or recalls) what {@code query} asks for and hands it to {@code onResult} on the UI thread, unless a
     * newer request or {@link #cancel()} came first; failures go to {@code onError}, likewise only when still current.
     * Answers found whole in the cache are delivered at once, even while the engine is busy.
     *
     * @return this request's generation number
     */
    public long explain(ExplainQuery query, Consumer<ExplainOutcome> onResult, Consumer<Throwable> onError) {
        return explain(query, onResult, onError, p -> { });
    }

    /**
     * As {@link #explain(ExplainQuery, Consumer, Consumer)}, for queries with multi-pass methods: those run one
     * method per engine call after the single-pass ones, so {@code onResult} may be called several times with a
     * growing, partial outcome ({@link ExplainOutcome#pending()}); {@code onProgress} hears how far each multi-pass
     * method is. A multi-pass method that fails or is {@link #cancelMethod cancelled} is named in the outcome's
     * failures and the others go on.
     */
    public long explain(ExplainQuery query, Consumer<ExplainOutcome> onResult, Consumer<Throwable> onError,
            Consumer<MethodProgress> onProgress) {
        var job = scheduler.issue(new Request(query, onResult, onError, onProgress));
        Optional<ExplainOutcome> cached = fromCache(query);
        if (cached.isPresent()) {
            scheduler.answered();
            deliver(job, cached.get(), null);
        } else if (scheduler.offer(job)) {
            run(job);
        }
        return job.generation();
    }

    /**
     * Drops the current request: its result will not be shown, a request still waiting will not run, and the one
     * computing is told to stop, which multi-pass methods do at their next pass (single-pass work just finishes).
     */
    public void cancel() {
        scheduler.cancel();
    }

    /**
     * Stops one multi-pass method of the current request within one native pass; the request's other methods go on
     * and the outcome names the method as cancelled. Nothing happens if it is not being computed.
     */
    public void cancelMethod(Method method) {
        scheduler.cancelMethod(method);
    }

    /** The generation of the newest request (for tests and diagnostics). */
    public long currentGeneration() {
        return scheduler.current();
    }

    /**
     * One request at a time goes to the engine. A request that was superseded before its engine call is skipped; a
     * single-pass call already computing is left to finish (it is one native pass) and fills the cache, so scrubbing
     * back to it is instant, but its result is not shown. Multi-pass methods stop within one pass when superseded.
     */
    private void run(RequestScheduler.Ticket<Request> job) {
        ExplainQuery q = job.request().query();
        images.prepare(q.image(), q.model().modelPackage())
                .thenCompose(prepared -> {
                    if (!scheduler.isCurrent(job)) {
                        throw new Superseded();
                    }
                    return compute(job, prepared);
                })
                .whenComplete((outcome, error) -> {
                    deliver(job, outcome, error);
                    var next = scheduler.finished();
                    if (next != null) {
                        run(next);
                    }
                });
    }

    private void deliver(RequestScheduler.Ticket<Request> job, ExplainOutcome outcome, Throwable error) {
        fx.execute(() -> {
            if (!scheduler.isCurrent(job)) {
                return;
            }
            if (error == null) {
                job.request().onResult().accept(outcome);
            } else if (!Superseded.is(error)) {
                job.request().onError().accept(Failures.rootCause(error));
            }
        });
    }

    /** The whole answer, if the image is prepared and every map asked for is cached. */
    private Optional<ExplainOutcome> fromCache(ExplainQuery q) {
        CompletableFuture<PreparedImage> f = images.prepare(q.image(), q.model().modelPackage());
        if (!f.isDone() || f.isCompletedExceptionally()) {
            return Optional.empty();
        }
        var hit = lookup(q);
        return hit.whole() ? Optional.of(PartialOutcome.fromCache(q, f.join(), hit)) : Optional.empty();
    }

    private ExplanationCache.Lookup lookup(ExplainQuery q) {
        return cache.lookup(q.image().id(), ImageStore.modelKey(q.model().modelPackage()), q);
    }

    /** The missing maps, in the engine calls {@link PartialOutcome#engineCalls} plans, one after the other. */
    private CompletableFuture<ExplainOutcome> compute(RequestScheduler.Ticket<Request> job, PreparedImage prepared) {
        ExplainQuery q = job.request().query();
        var hit = lookup(q);
        if (hit.whole()) {
            return CompletableFuture.completedFuture(PartialOutcome.fromCache(q, prepared, hit));
        }
        List<Set<Method>> calls = PartialOutcome.engineCalls(hit.missing());
        PartialOutcome partial = new PartialOutcome(q, prepared, hit);
        boolean slow = hit.missing().stream().anyMatch(m -> !m.singlePass());
        if (slow && partial.showable() && partial.hasResults()) {
            // A multi-pass method is on its way: what the cache has shows at once, the panels still computing say
            // so. Single-pass answers come whole (they are one pass), so scrubbing shows no half states.
            deliver(job, partial.outcome(hit.missing()), null);
        }
        CompletableFuture<PartialOutcome> chain = CompletableFuture.completedFuture(partial);
        for (int i = 0; i < calls.size(); i++) {
            Set<Method> call = calls.get(i);
            Set<Method> after = EnumSet.noneOf(Method.class);
            calls.subList(i + 1, calls.size()).forEach(after::addAll);
            chain = chain.thenCompose(p -> computeCall(job, prepared, p, call, after));
        }
        return chain.thenApply(p -> p.outcome(Set.of()));
    }

    private CompletableFuture<PartialOutcome> computeCall(RequestScheduler.Ticket<Request> job,
            PreparedImage prepared, PartialOutcome partial, Set<Method> call, Set<Method> after) {
        if (!scheduler.isCurrent(job)) {
            throw new Superseded();
        }
        ExplainQuery q = job.request().query();
        String imageId = q.image().id();
        String modelKey = ImageStore.modelKey(q.model().modelPackage());
        ExplainRequest request = ExplainRequest.of(List.of(prepared.input()), partial.classIndex(), call, q.layer())
                .withSettings(q.settings());
        long start = System.nanoTime();
        return backend.explain(q.model(), request, progress(job, call)).handle((list, error) -> {
            partial.addEngineTime((System.nanoTime() - start) / 1e6);
            if (error == null) {
                cache.put(imageId, modelKey, q, list.get(0));
                partial.add(list.get(0));
            } else {
                Throwable cause = Failures.rootCause(error);
                if (!scheduler.isCurrent(job) || !partial.hasPrediction()) {
                    // Nothing to show yet (or nobody to show it to): the whole request fails as before.
                    throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
                }
                boolean byUser = Superseded.is(cause) && job.cancelled(call);
                if (!byUser) {
                    LOG.warn("{} failed for {}", call, imageId, cause);
                }
                partial.fail(call, cause, byUser);
            }
            if (!after.isEmpty()) {
                deliver(job, partial.outcome(after), null);
            }
            return partial;
        });
    }

    /**
     * Progress of one engine call, to the UI at most every 50 ms. Only multi-pass methods can be stopped: a single
     * pass is one native call and finishes (its maps fill the cache) even when superseded.
     */
    private Progress progress(RequestScheduler.Ticket<Request> job, Set<Method> call) {
        boolean stoppable = call.stream().noneMatch(Method::singlePass);
        ProgressThrottle throttle = new ProgressThrottle(ProgressThrottle.DEFAULT_INTERVAL_NANOS);
        return new Progress() {
            @Override
            public void report(long done, long total, String what) {
                if (!stoppable || !throttle.pass(done, total, System.nanoTime())) {
                    return; // one pass has nothing to watch
                }
                MethodProgress p = new MethodProgress(call, total <= 0 ? -1 : done / (double) total, what);
                fx.execute(() -> {
                    if (scheduler.isCurrent(job)) {
                        job.request().onProgress().accept(p);
                    }
                });
            }

            @Override
            public boolean cancelled() {
                return job.cancelled(call) || stoppable && !scheduler.isCurrent(job);
            }
        };
    }

    /**
     * Deletion/insertion and average drop of one shown map, on the inference thread (queued behind explanations).
     * Not superseded by newer explanations: the caller cancels through {@code progress}.
     */
    public CompletableFuture<Faithfulness> faithfulness(ExplainOutcome shown, Method method,
            FaithfulnessSettings protocol, Progress progress) {
        Heatmap map = shown.map(method);
        if (map == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    method.displayName() + " has no map to evaluate yet; wait for it to be computed."));
        }
        ExplainQuery q = shown.query();
        int target = shown.target().index();
        return images.prepare(q.image(), q.model().modelPackage()).thenCompose(prepared -> backend.faithfulness(
                q.model(), q.settings().batchSize(), prepared.input(), target, map, protocol, progress));
    }

    /**
     * Explanations of a batch straight from the engine, queued behind the work already there; neither cached nor
     * scheduled against the panels' requests (an evaluation over many images sends one image at a time, so the
     * panels' explanations run between them). Cancel through {@code progress}.
     */
    public CompletableFuture<List<Explanation>> explainBatch(LoadedModel model, ExplainRequest request,
            Progress progress) {
        return backend.explain(model, request, progress);
    }

    /** Deletion/insertion and average drop of any map of {@code input}, on the inference thread (see above). */
    public CompletableFuture<Faithfulness> faithfulness(LoadedModel model, int batchSize, ModelInput input,
            int target, Heatmap map, FaithfulnessSettings protocol, Progress progress) {
        return backend.faithfulness(model, batchSize, input, target, map, protocol, progress);
    }

    /** The cascading-randomisation sanity check for the shown image, class and layer and {@code methods}. */
    public CompletableFuture<SanityReport> sanityCheck(ExplainOutcome shown, Set<Method> methods, long seed,
            Progress progress) {
        ExplainQuery q = shown.query();
        int target = shown.target().index();
        return images.prepare(q.image(), q.model().modelPackage()).thenCompose(prepared -> backend.sanityCheck(
                q.model(), prepared.input(), target, methods, q.layer(), q.settings(), seed, progress));
    }

    /** One prediction for the list; used by {@link PredictionQueue}, recorded so later explanations can use it. */
    CompletableFuture<Prediction> predictOne(LoadedModel model, PreparedImage prepared,
            AtomicReference<CompletableFuture<?>> handle) {
        CompletableFuture<List<Prediction>> call = backend.predict(model, List.of(prepared.input()));
        handle.set(call);
        String modelKey = ImageStore.modelKey(model.modelPackage());
        return call.thenApply(list -> {
            cache.putPrediction(prepared.source().id(), modelKey, list.get(0));
            return list.get(0);
        });
    }

    /**
     * Logits of a batch, on the inference thread, queued behind the work already there (a data set audit sends one
     * batch at a time, so explanations asked meanwhile run between its batches). Nothing is cached.
     */
    public CompletableFuture<List<Prediction>> predictBatch(LoadedModel model, List<ModelInput> inputs) {
        return backend.predict(model, inputs);
    }

    /** A prediction already known for this image and model, if any. */
    public Optional<Prediction> knownPrediction(ImageSource image, LoadedModel model) {
        return cache.prediction(image.id(), ImageStore.modelKey(model.modelPackage()));
    }

    /** Number of cached maps (for tests and the about box). */
    public int cachedMaps() {
        return cache.maps();
    }

    @Override
    public void close() {
        cancel();
        backend.close();
    }
}
