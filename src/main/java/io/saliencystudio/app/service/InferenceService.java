package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 * <p><b>Cache:</b> maps are kept per (image, model, class, layer, method) in a bounded LRU; predictions per (image,
 * model), which also lets "explain the top class" be answered from the cache.
 */
public final class InferenceService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InferenceService.class);

    record ResultKey(String image, String model, int classIndex, String layer, Method method) {}

    private record PredictionKey(String image, String model) {}

    private record Cached(MethodResult result, Prediction prediction) {}

    private final ExplanationBackend backend;
    private final ImageStore images;
    private final Executor fx;
    private final LruCache<ResultKey, Cached> results;
    private final LruCache<PredictionKey, Prediction> predictions;
    private final AtomicLong generation = new AtomicLong();
    private record Job(long gen, ExplainQuery query, Consumer<ExplainOutcome> onResult, Consumer<Throwable> onError,
            CancelToken token) {}

    /** The running request's progress as the engine sees it; {@link #cancel()} trips it, stopping multi-pass work. */
    static final class CancelToken implements Progress {
        private volatile boolean cancelled;

        @Override
        public void report(long done, long total, String what) {}

        @Override
        public boolean cancelled() {
            return cancelled;
        }

        void cancel() {
            cancelled = true;
        }
    }

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
        Job job = new Job(generation.incrementAndGet(), query, onResult, onError, new CancelToken());
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
                running.token().cancel();
            }
        }
    }

    /** The generation of the newest request (for tests and diagnostics). */
    public long currentGeneration() {
        return generation.get();
    }

    /**
     * One request at a time goes to the engine. A request that was superseded before its engine call is skipped; one
     * already computing is left to finish (a native pass cannot be interrupted) and fills the cache, so scrubbing
     * back to it is instant, but its result is not shown.
     */
    private void run(Job job) {
        images.prepare(job.query().image(), job.query().model().modelPackage())
                .thenCompose(prepared -> {
                    if (job.gen() != generation.get()) {
                        throw new Superseded();
                    }
                    return compute(job.query(), prepared, job.token());
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
                var hit = results.get(key(imageId, modelKey, cls, q.layer(), m));
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

    private CompletableFuture<ExplainOutcome> compute(ExplainQuery q, PreparedImage prepared, Progress progress) {
        Lookup hit = lookup(q, prepared);
        if (hit.missing().isEmpty() && hit.prediction() != null) {
            return CompletableFuture.completedFuture(outcome(q, prepared, hit.prediction(), hit.classIndex(),
                    hit.found(), 0, true));
        }
        String imageId = q.image().id();
        String modelKey = ImageStore.modelKey(q.model().modelPackage());
        ExplainRequest request = ExplainRequest.of(List.of(prepared.input()), hit.classIndex(), hit.missing(),
                q.layer());
        long start = System.nanoTime();
        return backend.explain(q.model(), request, progress).thenApply(list -> {
            double millis = (System.nanoTime() - start) / 1e6;
            Explanation e = list.get(0);
            predictions.put(new PredictionKey(imageId, modelKey), e.prediction());
            int target = e.target().index();
            Map<Method, MethodResult> all = new EnumMap<>(hit.found());
            for (var r : e.results().entrySet()) {
                all.put(r.getKey(), r.getValue());
                results.put(key(imageId, modelKey, target, q.layer(), r.getKey()),
                        new Cached(r.getValue(), e.prediction()));
            }
            return outcome(q, prepared, e.prediction(), target, all, millis, false);
        });
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

    private static ResultKey key(String image, String model, int cls, String layer, Method m) {
        return new ResultKey(image, model, cls, m.needsLayer() ? layer : null, m);
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
