package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.image.RgbImage;
import java.util.Map;
import java.util.Set;

/**
 * What the panels show for one query: the image the model saw, its prediction, the explained class and a result per
 * method that was asked for. Multi-pass methods arrive one by one: an outcome may be partial, naming the methods
 * still being computed ({@code pending}) and those that failed or were cancelled ({@code failures}, a sentence each).
 *
 * @param sourceWidth width of the decoded file, before preprocessing (to map file coordinates onto {@code seen})
 * @param computeMillis wall time of the engine calls that produced the missing maps; 0 when all came from the cache
 * @param fromCache whether no engine call was needed
 */
public record ExplainOutcome(ExplainQuery query, RgbImage seen, int sourceWidth, int sourceHeight,
        Prediction prediction, ClassScore target, Map<Method, MethodResult> results, double computeMillis,
        boolean fromCache, Set<Method> pending, Map<Method, String> failures) {

    public ExplainOutcome {
        results = Map.copyOf(results);
        pending = Set.copyOf(pending);
        failures = Map.copyOf(failures);
    }

    /** A complete outcome: every method asked for is in {@code results}. */
    public ExplainOutcome(ExplainQuery query, RgbImage seen, int sourceWidth, int sourceHeight,
            Prediction prediction, ClassScore target, Map<Method, MethodResult> results, double computeMillis,
            boolean fromCache) {
        this(query, seen, sourceWidth, sourceHeight, prediction, target, results, computeMillis, fromCache, Set.of(),
                Map.of());
    }

    /** The map of a method, or {@code null} when it was not asked for (or is not there yet). */
    public Heatmap map(Method method) {
        MethodResult r = results.get(method);
        return r == null ? null : r.map();
    }

    public MethodResult result(Method method) {
        return results.get(method);
    }

    /** Whether every method asked for has arrived, failed or been cancelled. */
    public boolean complete() {
        return pending.isEmpty();
    }
}
