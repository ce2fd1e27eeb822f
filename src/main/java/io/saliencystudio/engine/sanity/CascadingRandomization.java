package io.saliencystudio.engine.sanity;

import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The sanity check: loads a private copy of the model, randomises its layer groups from the top down, explains the
 * same image after each step and compares every map with the original (Spearman rank correlation and SSIM).
 * The user's loaded model is never touched.
 *
 * <p>Choices (Adebayo et al. 2018, "Sanity checks for saliency maps"):
 * <ul>
 * <li>Groups: {@link LayerGroups} (top-level modules, split finer when there are fewer than 5), randomised
 *     cumulatively from the output side; step i draws its noise with {@code seed + i}.</li>
 * <li>The class is fixed to the original model's top prediction (or the one asked for) at every step: the question
 *     is whether the map for the same class changes, not which class the random model prefers.</li>
 * <li>Maps are compared at input resolution. Unsigned maps as displayed (normalised to [0, 1]); signed maps by
 *     their absolute values scaled by the largest, as Adebayo et al. do, so a sign flip does not count as change.</li>
 * <li>A constant map (blank Grad-CAM, or non-finite values from a broken random model, taken as 0) has no ranking:
 *     two constant maps count as Spearman 1 (nothing changed), one constant map against a varying one as 0.</li>
 * <li>A method is flagged when its Spearman at the fully randomised step is at least the threshold (default
 *     {@value #DEFAULT_THRESHOLD}): its map keeps its pixel ranking while the model it should explain is gone.
 *     SSIM is reported alongside (structure rather than ranking) but does not decide the flag.</li>
 * </ul>
 */
public final class CascadingRandomization {

    /** Spearman at the last step at or above which a method is flagged. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    private CascadingRandomization() {}

    /**
     * @param target class to explain; null = the original model's top prediction (kept fixed for every step)
     * @param layer layer for layer methods; null = the model's default
     */
    public static CompletableFuture<SanityReport> run(ExplanationEngine engine, ModelPackage pkg, ModelInput input,
            Integer target, Set<Method> methods, String layer, MethodSettings settings, long seed,
            Progress progress) {
        return run(engine, pkg, input, target, methods, layer, settings, seed, DEFAULT_THRESHOLD, progress);
    }

    /**
     * As the other {@code run}, with the flag threshold. Works on its own thread; each model operation is one job on
     * the inference thread. Progress is reported as (step, steps); a cancelled {@code progress}, or cancelling the
     * returned future, stops the check between steps (or within one pass of a multi-pass method) and completes the
     * future with a {@link java.util.concurrent.CancellationException}. The copy is unloaded in every case.
     */
    public static CompletableFuture<SanityReport> run(ExplanationEngine engine, ModelPackage pkg, ModelInput input,
            Integer target, Set<Method> methods, String layer, MethodSettings settings, long seed, double threshold,
            Progress progress) {
        if (methods == null || methods.isEmpty()) {
            throw new IllegalArgumentException("choose at least one method for the sanity check");
        }
        if (!(threshold >= -1 && threshold <= 1)) {
            throw new IllegalArgumentException("the Spearman threshold must be between -1 and 1, got " + threshold);
        }
        Set<Method> chosen = EnumSet.copyOf(methods);
        Progress p = progress == null ? Progress.NONE : progress;
        MethodSettings s = settings == null ? MethodSettings.DEFAULTS : settings;
        return inBackground(() -> EngineSubject.open(engine, pkg, input, chosen, layer, s), chosen, target, seed,
                threshold, p);
    }

    /**
     * Opens the subject and runs the cascade on a thread of its own, closing the subject whatever happens (before the
     * future completes). The returned future's own cancel is honoured like a cancelled {@code progress}.
     */
    static CompletableFuture<SanityReport> inBackground(Supplier<? extends CascadeSubject> open, Set<Method> methods,
            Integer target, long seed, double threshold, Progress progress) {
        CompletableFuture<SanityReport> result = new CompletableFuture<>();
        Progress watched = new Progress() {
            @Override
            public void report(long done, long total, String what) {
                progress.report(done, total, what);
            }

            @Override
            public boolean cancelled() {
                return result.isCancelled() || progress.cancelled();
            }
        };
        Thread worker = new Thread(() -> {
            SanityReport report;
            try (CascadeSubject subject = open.get()) {
                report = cascade(subject, methods, target, subject.layer(), seed, threshold, watched);
            } catch (Throwable t) {
                result.completeExceptionally(t);
                return;
            }
            // completed only once the copy is unloaded, so a caller that waits also waits for the memory back
            result.complete(report);
        }, "sanity-check");
        worker.setDaemon(true);
        worker.start();
        return result;
    }

    /** The cascade itself, on the calling thread. */
    static SanityReport cascade(CascadeSubject subject, Set<Method> methods, Integer target, String layer, long seed,
            double threshold, Progress progress) {
        LayerGroups groups = LayerGroups.of(subject.parameterNames());
        List<String> order = groups.topDown();
        int total = order.size() + 1;
        progress.advance(0, total, "original model");
        Explanation original = subject.explain(target, stepProgress(progress, 0, total, "original model"));
        int fixed = original.target().index();
        Map<Method, float[]> reference = new EnumMap<>(Method.class);
        List<SanityStep> steps = new ArrayList<>();
        steps.add(step(List.of(), original, methods, reference));
        List<String> randomized = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            String group = order.get(i);
            String what = "randomising " + group;
            progress.advance(i + 1, total, what);
            subject.randomize(seed + i + 1, groups.member(group));
            randomized.add(group);
            Explanation e = subject.explain(fixed, stepProgress(progress, i + 1, total, what));
            steps.add(step(randomized, e, methods, reference));
        }
        progress.report(total, total, "done");
        Map<Method, Boolean> flagged = new EnumMap<>(Method.class);
        SanityStep last = steps.get(steps.size() - 1);
        for (Method m : methods) {
            flagged.put(m, last.spearman().get(m) >= threshold);
        }
        return new SanityReport(order, steps, flagged, threshold, original.target(), layer, seed);
    }

    /** One step's maps and their similarity to the reference (the first step's maps, which it also sets). */
    private static SanityStep step(List<String> randomized, Explanation e, Set<Method> methods,
            Map<Method, float[]> reference) {
        Map<Method, Heatmap> maps = new EnumMap<>(Method.class);
        Map<Method, Double> spearman = new EnumMap<>(Method.class);
        Map<Method, Double> ssim = new EnumMap<>(Method.class);
        for (Method m : methods) {
            Heatmap map = e.result(m).map();
            float[] compared = comparable(map);
            float[] ref = reference.computeIfAbsent(m, k -> compared);
            maps.put(m, map);
            spearman.put(m, rankCorrelation(ref, compared));
            ssim.put(m, Ssim.of(ref, compared, map.width(), map.height()));
        }
        return new SanityStep(List.copyOf(randomized), maps, spearman, ssim);
    }

    /** The values compared: the normalised map, or |raw| / max|raw| for signed maps; non-finite values as 0. */
    static float[] comparable(Heatmap map) {
        float[] out = new float[map.values().length];
        if (!map.signed()) {
            for (int i = 0; i < out.length; i++) {
                float v = map.values()[i];
                out[i] = Float.isFinite(v) ? v : 0f;
            }
            return out;
        }
        float max = 0;
        for (int i = 0; i < out.length; i++) {
            float v = map.raw()[i];
            out[i] = Float.isFinite(v) ? Math.abs(v) : 0f;
            max = Math.max(max, out[i]);
        }
        if (max > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] /= max;
            }
        }
        return out;
    }

    /** Spearman, with the documented answer for constant maps instead of NaN. */
    static double rankCorrelation(float[] reference, float[] map) {
        double r = Spearman.of(reference, map);
        if (!Double.isNaN(r)) {
            return r;
        }
        return constant(reference) && constant(map) ? 1.0 : 0.0;
    }

    private static boolean constant(float[] a) {
        for (float v : a) {
            if (v != a[0]) {
                return false;
            }
        }
        return true;
    }

    /** Progress inside one step's explanation: same cancel token, reported as the step with the method's name. */
    private static Progress stepProgress(Progress outer, int step, int total, String what) {
        return new Progress() {
            @Override
            public void report(long done, long all, String method) {
                outer.report(step, total, what + ": " + method);
            }

            @Override
            public boolean cancelled() {
                return outer.cancelled();
            }
        };
    }
}
