package io.saliencystudio.app.dataset;

import io.saliencystudio.app.service.ImageSource;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.app.service.PreparedImage;
import io.saliencystudio.engine.Failures;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One run of "Evaluate selection": for each image in turn, decode it (image I/O threads), explain it with the chosen
 * methods in one engine call, then score each map with the faithfulness metrics (one engine call per map), all on
 * the inference thread through {@link InferenceService}, whose backend gives every call its own native sub-manager.
 * One engine call at a time, so the main window's explanations run between them. Results go to the listener on the
 * UI executor as they come. An image or map that fails is reported and the run goes on; {@link #cancel} stops
 * within one native pass.
 */
final class SelectionEvaluation {

    /** What the run tells the UI; every call on the UI executor. */
    interface Listener {
        void evaluated(String image, Method method, Faithfulness result);

        /** {@code method} is {@code null} when the whole image failed (unreadable, or its explanation failed). */
        void failed(String image, Method method, String reason);

        void progress(int done, int total);

        void finished(boolean cancelled, Throwable error);
    }

    /** An image to evaluate: its name in the data set (a relative path) and its file. */
    record Item(String name, ImageSource source) {}

    /** What the run computes: the same protocol and method settings as the main window's Evaluate. */
    record Plan(LoadedModel model, Set<Method> methods, MethodSettings settings, FaithfulnessSettings protocol) {}

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SelectionEvaluation.class);

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Progress progress = new Progress() {
        @Override
        public void report(long done, long total, String what) {
            // progress is counted in images; the passes inside one image are short
        }

        @Override
        public boolean cancelled() {
            return cancelled.get();
        }
    };

    /** Starts the run; returns at once. The images are evaluated in the order given. */
    void start(List<Item> images, Plan plan, InferenceService inference, Executor fx, Listener listener) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        int total = images.size();
        for (int k = 0; k < total; k++) {
            Item image = images.get(k);
            int done = k + 1;
            chain = chain.thenCompose(v -> cancelled.get() ? stop() : evaluate(image, plan, inference, fx, listener))
                    .thenRun(() -> fx.execute(() -> listener.progress(done, total)));
        }
        chain.whenComplete((v, error) -> fx.execute(() -> listener.finished(cancelled.get(),
                error == null || cancelled.get() ? null : Failures.rootCause(error))));
    }

    /** Stops after the native pass in flight; results so far stay with the listener. */
    void cancel() {
        cancelled.set(true);
    }

    boolean isCancelled() {
        return cancelled.get();
    }

    private static CompletableFuture<Void> stop() {
        return CompletableFuture.failedFuture(new CancellationException("evaluation cancelled"));
    }

    private CompletableFuture<Void> evaluate(Item image, Plan plan, InferenceService inference, Executor fx,
            Listener listener) {
        String name = image.name();
        return inference.images().prepare(image.source(), plan.model().modelPackage())
                .thenCompose(prepared -> explain(prepared, plan, inference))
                .thenCompose(pair -> score(name, pair, plan, inference, fx, listener))
                .exceptionallyCompose(error -> {
                    Throwable cause = Failures.rootCause(error);
                    if (cancelled.get() || cause instanceof CancellationException) {
                        return stop();
                    }
                    LOG.warn("evaluating {} failed", name, cause);
                    fx.execute(() -> listener.failed(name, null, Failures.message(cause)));
                    return CompletableFuture.completedFuture(null); // one image's failure never ends the run
                });
    }

    private record Explained(PreparedImage image, Explanation explanation) {}

    /** All chosen methods in one engine call: the single-pass ones share one forward and backward. */
    private CompletableFuture<Explained> explain(PreparedImage prepared, Plan plan, InferenceService inference) {
        // The top class of each image (evaluate's default) and the model's default layer.
        ExplainRequest request = ExplainRequest.of(List.of(prepared.input()), null, plan.methods(), null)
                .withSettings(plan.settings());
        return inference.explainBatch(plan.model(), request, progress)
                .thenApply(list -> new Explained(prepared, list.get(0)));
    }

    /** One map after the other; a map that cannot be scored is reported and the next one goes on. */
    private CompletableFuture<Void> score(String name, Explained e, Plan plan, InferenceService inference,
            Executor fx, Listener listener) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        int target = e.explanation().target().index();
        for (Method m : plan.methods()) {
            chain = chain.thenCompose(v -> {
                if (cancelled.get()) {
                    return stop();
                }
                MethodResult r = e.explanation().result(m);
                if (r == null || r.map() == null) {
                    fx.execute(() -> listener.failed(name, m, "no map was computed"));
                    return CompletableFuture.completedFuture(null);
                }
                return inference.faithfulness(plan.model(), plan.settings().batchSize(), e.image().input(), target,
                        r.map(), plan.protocol(), progress).handle((f, error) -> {
                            if (error == null) {
                                fx.execute(() -> listener.evaluated(name, m, f));
                                return null;
                            }
                            Throwable cause = Failures.rootCause(error);
                            if (cancelled.get() || cause instanceof CancellationException) {
                                throw new CompletionException(new CancellationException("evaluation cancelled"));
                            }
                            LOG.warn("scoring {} of {} failed", m.id(), name, cause);
                            fx.execute(() -> listener.failed(name, m, Failures.message(cause)));
                            return null;
                        });
            });
        }
        return chain;
    }
}
