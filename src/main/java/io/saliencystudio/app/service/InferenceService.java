package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.engine.sanity.SanityReport;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's only caller of the engine. Callbacks run on the UI executor ({@code Platform::runLater} in the app); no
 * method here blocks.
 *
 * <p><b>Latest request wins:</b> every {@link #explain} call takes a new generation number. At most one explanation
 * is with the engine at a time; requests arriving meanwhile replace each other, so only the newest one runs next.
 * A result whose generation is no longer the latest is dropped on the UI thread, so it never reaches the screen,
 * though it still fills the cache.
 *
 * <p><b>Cache:</b> maps are kept per (image, model, class, layer, method, method settings) in a bounded LRU; predictions per (image,
 * model), which also lets "explain the top class" be answered from the cache.
 */
public final class InferenceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);

    /** {@code knobs}: the method's settings ({@link MethodSettings#describe}), so other settings are other maps. */
    record ResultKey(String image, String model, int classIndex, String layer, Method method,
            Map<String, Object> knobs) {}

    private record PredictionKey(String image, String model) {}

    private record Cached(MethodResult result, Prediction prediction) {}

    private final ExplanationBackend backend;
    private final ImageStore images;
    private final Executor fx;
    private final LruCache<ResultKey, Cached> results;
    private final LruCache<PredictionKey, Prediction> predictions;
    private final AtomicLong generation = new AtomicLong();
    private record Job(long gen, ExplainQuery query, Consumer<ExplainOutcome> onResult, Consumer<Throwable> onError,
            Consumer<MethodProgress> onProgress, Set<Method> cancelled) {}

    private Job running; // guarded by this: the request whose engine call is in flight
    private Job pending; // guarded by this: the newest request waiting for it
    private final PredictionQueue predictionQueue;

    public InferenceService(ExplanationBackend backend, ImageStore images, Executor fx, long cacheBytes) {
        this.backend = backend;
        this.images = images;
        this.fx = fx;
        this.results = new LruCache<>(cacheBytes, c -> weight(c.result()));
        this.predictions = new LruCache<>(50_000, p -> 1);
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
        Job job = new Job(generation.incrementAndGet(), query, onResult, onError, onProgress,
                ConcurrentHashMap.newKeySet());
        var cached = fromCache(query);
        if (cached.isPresent()) {
            synchronized (this) {
                pending = null;
            }
            deliver(job, cached.get(), null);
            return job.gen();
        }
        boolean startNow;
        synchronized (this) {
            startNow = running == null;
            if (startNow) {
                running = job;
            } else {
                // Replaces (drops) any request still waiting: only the newest one will reach the engine.
                pending = job;
            }
        }
        if (startNow) {
            run(job);
        }
        return job.gen();
    }

    /**
     * Drops the current request: its result will not be shown, a request still waiting will not run, and the one
     * computing is told to stop, which multi-pass methods do at their next pass (single-pass work just finishes).
     */
    public void cancel() {
        synchronized (this) {
            generation.incrementAndGet();
            pending = null;
            if (running != null) {
                // An explicit cancel stops every method of the running job at its next check, single-pass ones too
                // (a superseded single-pass job is left to finish: it fills the cache). See progress(Job, Set).
                running.cancelled().addAll(EnumSet.allOf(Method.class));
            }
        }
    }

    /**
     * Stops one multi-pass method of the current request within one native pass; the request's other methods go on
     * and the outcome names the method as cancelled. Nothing happens if it is not being computed.
     */
    public void cancelMethod(Method method) {
        synchronized (this) {
            for (Job j : new Job[] {running, pending}) {
                if (j != null && j.gen() == generation.get()) {
                    j.cancelled().add(method);
                }
            }
        }
    }

    /** The generation of the newest request (for tests and diagnostics). */
    public long currentGeneration() {
        return generation.get();
    }

    /**
     * One request at a time goes to the engine. A request that was superseded before its engine call is skipped; a
     * single-pass call already computing is left to finish (it is one native pass) and fills the cache, so scrubbing
     * back to it is instant, but its result is not shown. Multi-pass methods stop within one pass when superseded.
     */
    private void run(Job job) {
        images.prepare(job.query().image(), job.query().model().modelPackage())
                .thenCompose(prepared -> {
                    if (job.gen() != generation.get()) {
                        throw new Superseded();
                    }
                    return compute(job, prepared);
                })
                .whenComplete((outcome, error) -> {
                    deliver(job, outcome, error);
                    Job next;
                    synchronized (this) {
                        next = pending;
                        pending = null;
                        running = next;
                    }
                    if (next != null) {
                        run(next);
                    }
                });
    }

    private void deliver(Job job, ExplainOutcome outcome, Throwable error) {
        fx.execute(() -> {
            if (job.gen() != generation.get()) {
                return;
            }
            if (error == null) {
                job.onResult().accept(outcome);
            } else if (!Superseded.is(error)) {
                job.onError().accept(unwrap(error));
            }
        });
    }

    /** The whole answer, if the image is prepared and every map asked for is cached. */
    private java.util.Optional<ExplainOutcome> fromCache(ExplainQuery q) {
        CompletableFuture<PreparedImage> f = images.prepare(q.image(), q.model().modelPackage());
        if (!f.isDone() || f.isCompletedExceptionally()) {
            return java.util.Optional.empty();
        }
        Lookup hit = lookup(q, f.join());
        return hit.missing().isEmpty() && hit.prediction() != null
                ? java.util.Optional.of(outcome(q, f.join(), hit.prediction(), hit.classIndex(), hit.found(), 0, true))
                : java.util.Optional.empty();
    }

    private record Lookup(Integer classIndex, Prediction prediction, Map<Method, MethodResult> found,
            Set<Method> missing) {}

    private Lookup lookup(ExplainQuery q, PreparedImage prepared) {
        String imageId = q.image().id();
        String modelKey = ImageStore.modelKey(q.model().modelPackage());
        Prediction known = predictions.get(new PredictionKey(imageId, modelKey)).orElse(null);
        Integer cls = q.classIndex() != null ? q.classIndex() : known != null ? Integer.valueOf(known.top1()) : null;
        Map<Method, MethodResult> found = new EnumMap<>(Method.class);
        Prediction prediction = known;
        if (cls != null) {
            for (Method m : q.methods()) {
                var hit = results.get(key(imageId, modelKey, cls, q, m));
                if (hit.isPresent()) {
                    found.put(m, hit.get().result());
                    prediction = hit.get().prediction();
                }
            }
        }
        Set<Method> missing = EnumSet.copyOf(q.methods());
        missing.removeAll(found.keySet());
        return new Lookup(cls, prediction, found, missing);
    }

    private static ExplainOutcome outcome(ExplainQuery q, PreparedImage p, Prediction prediction, int cls,
            Map<Method, MethodResult> results, double millis, boolean cached) {
        return new ExplainOutcome(q, p.input().seen(), p.thumbnail().sourceWidth(), p.thumbnail().sourceHeight(),
                prediction, prediction.score(cls), results, millis, cached);
    }

    /** What a running job has so far; touched only by the job's own chain of futures, one stage at a time. */
    private static final class Partial {
        Integer classIndex;
        Prediction prediction;
        final Map<Method, MethodResult> results = new EnumMap<>(Method.class);
        final Map<Method, String> failures = new EnumMap<>(Method.class);
        double millis;

        ExplainOutcome outcome(ExplainQuery q, PreparedImage p, Set<Method> pending) {
            return new ExplainOutcome(q, p.input().seen(), p.thumbnail().sourceWidth(), p.thumbnail().sourceHeight(),
                    prediction, prediction.score(classIndex), results, millis, false, pending, failures);
        }
    }

    /**
     * The missing maps, in engine calls: all single-pass methods together (one shared pass), then each multi-pass
     * method on its own, so the cheap maps show at once and each slow one can report progress and be cancelled.
     */
    private CompletableFuture<ExplainOutcome> compute(Job job, PreparedImage prepared) {
        ExplainQuery q = job.query();
        Lookup hit = lookup(q, prepared);
        if (hit.missing().isEmpty() && hit.prediction() != null) {
            return CompletableFuture.completedFuture(outcome(q, prepared, hit.prediction(), hit.classIndex(),
                    hit.found(), 0, true));
        }
        List<Set<Method>> groups = new ArrayList<>();
        Set<Method> singles = EnumSet.noneOf(Method.class);
        hit.missing().stream().filter(Method::singlePass).forEach(singles::add);
        if (!singles.isEmpty()) {
            groups.add(singles);
        }
        hit.missing().stream().filter(m -> !m.singlePass()).forEach(m -> groups.add(EnumSet.of(m)));
        Partial st = new Partial();
        st.classIndex = hit.classIndex();
        st.prediction = hit.prediction();
        st.results.putAll(hit.found());
        boolean slow = hit.missing().stream().anyMatch(m -> !m.singlePass());
        if (slow && st.prediction != null && st.classIndex != null && !hit.found().isEmpty()) {
            // A multi-pass method is on its way: what the cache has shows at once, the panels still computing say
            // so. Single-pass answers come whole (they are one pass), so scrubbing shows no half states.
            deliver(job, st.outcome(q, prepared, hit.missing()), null);
        }
        CompletableFuture<Partial> chain = CompletableFuture.completedFuture(st);
        for (int g = 0; g < groups.size(); g++) {
            Set<Method> group = groups.get(g);
            Set<Method> after = EnumSet.noneOf(Method.class);
            groups.subList(g + 1, groups.size()).forEach(after::addAll);
            chain = chain.thenCompose(s -> computeGroup(job, prepared, s, group, after));
        }
        return chain.thenApply(s -> s.outcome(q, prepared, Set.of()));
    }

    private CompletableFuture<Partial> computeGroup(Job job, PreparedImage prepared, Partial st, Set<Method> group,
            Set<Method> after) {
        if (job.gen() != generation.get()) {
            throw new Superseded();
        }
        ExplainQuery q = job.query();
        String imageId = q.image().id();
        String modelKey = ImageStore.modelKey(q.model().modelPackage());
        ExplainRequest request = ExplainRequest.of(List.of(prepared.input()), st.classIndex, group, q.layer())
                .withSettings(q.settings());
        long start = System.nanoTime();
        return backend.explain(q.model(), request, progress(job, group)).handle((list, error) -> {
            st.millis += (System.nanoTime() - start) / 1e6;
            if (error == null) {
                Explanation e = list.get(0);
                predictions.put(new PredictionKey(imageId, modelKey), e.prediction());
                st.prediction = e.prediction();
                st.classIndex = e.target().index();
                for (var r : e.results().entrySet()) {
                    st.results.put(r.getKey(), r.getValue());
                    results.put(key(imageId, modelKey, st.classIndex, q, r.getKey()),
                            new Cached(r.getValue(), e.prediction()));
                }
            } else {
                Throwable cause = unwrap(error);
                boolean superseded = job.gen() != generation.get();
                if (superseded || st.prediction == null) {
                    // Nothing to show yet (or nobody to show it to): the whole request fails as before.
                    throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
                }
                boolean byUser = Superseded.is(cause) && group.stream().anyMatch(job.cancelled()::contains);
                String why = byUser ? "Cancelled. Press F5 (Explain > Recompute) to compute it again."
                        : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                if (!byUser) {
                    LOG.warn("{} failed for {}", group, imageId, cause);
                }
                group.forEach(m -> st.failures.put(m, why));
            }
            if (!after.isEmpty()) {
                deliver(job, st.outcome(q, prepared, after), null);
            }
            return st;
        });
    }

    /**
     * Progress of one engine call, to the UI at most every 50 ms. Only multi-pass methods can be stopped: a single
     * pass is one native call and finishes (its maps fill the cache) even when superseded.
     */
    private Progress progress(Job job, Set<Method> group) {
        boolean stoppable = group.stream().noneMatch(Method::singlePass);
        AtomicLong last = new AtomicLong();
        return new Progress() {
            @Override
            public void report(long done, long total, String what) {
                if (!stoppable) {
                    return; // one pass: nothing to watch
                }
                long now = System.nanoTime();
                long prev = last.get();
                if (done < total && now - prev < 50_000_000L || !last.compareAndSet(prev, now)) {
                    return;
                }
                MethodProgress p = new MethodProgress(group, total <= 0 ? -1 : done / (double) total, what);
                fx.execute(() -> {
                    if (job.gen() == generation.get()) {
                        job.onProgress().accept(p);
                    }
                });
            }

            @Override
            public boolean cancelled() {
                return group.stream().anyMatch(job.cancelled()::contains)
                        || stoppable && job.gen() != generation.get();
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
            predictions.put(new PredictionKey(prepared.source().id(), modelKey), list.get(0));
            return list.get(0);
        });
    }

    /** A prediction already known for this image and model, if any. */
    public java.util.Optional<Prediction> knownPrediction(ImageSource image, LoadedModel model) {
        return predictions.get(new PredictionKey(image.id(), ImageStore.modelKey(model.modelPackage())));
    }

    /** Number of cached maps (for tests and the about box). */
    public int cachedMaps() {
        return results.size();
    }

    private static ResultKey key(String image, String model, int cls, ExplainQuery q, Method m) {
        return new ResultKey(image, model, cls, m.needsLayer() ? q.layer() : null, m, q.settings().describe(m));
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static long weight(MethodResult r) {
        long w = 8L * r.map().values().length;
        if (r.layerMap() != null) {
            w += 8L * r.layerMap().values().length;
        }
        return w + 256;
    }

    @Override
    public void close() {
        cancel();
        backend.close();
    }
}
