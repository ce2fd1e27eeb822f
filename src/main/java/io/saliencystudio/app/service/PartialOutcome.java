package io.saliencystudio.app.service;

import io.saliencystudio.engine.Failures;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The answer to one request as its engine calls come in: the maps so far (cached ones first), the methods that failed
 * or were cancelled with a sentence each, and the engine time spent. Touched only by the request's own chain of
 * futures, one stage at a time, so it needs no locking.
 */
final class PartialOutcome {

    /** What a panel says for a multi-pass method the user stopped. */
    static final String CANCELLED = "Cancelled. Press F5 (Explain > Recompute) to compute it again.";

    private final ExplainQuery query;
    private final PreparedImage prepared;
    private Integer classIndex;
    private Prediction prediction;
    private final Map<Method, MethodResult> results = new EnumMap<>(Method.class);
    private final Map<Method, String> failures = new EnumMap<>(Method.class);
    private double millis;

    /** Starts from what the cache had for the query. */
    PartialOutcome(ExplainQuery query, PreparedImage prepared, ExplanationCache.Lookup cached) {
        this.query = query;
        this.prepared = prepared;
        this.classIndex = cached.classIndex();
        this.prediction = cached.prediction();
        this.results.putAll(cached.found());
    }

    /**
     * The engine calls for the missing maps, in order: all single-pass methods together (one shared pass), then each
     * multi-pass method on its own, so the cheap maps show at once and each slow one can report progress and be
     * cancelled.
     */
    static List<Set<Method>> engineCalls(Set<Method> missing) {
        List<Set<Method>> calls = new ArrayList<>();
        Set<Method> singles = EnumSet.noneOf(Method.class);
        missing.stream().filter(Method::singlePass).forEach(singles::add);
        if (!singles.isEmpty()) {
            calls.add(singles);
        }
        missing.stream().filter(m -> !m.singlePass()).forEach(m -> calls.add(EnumSet.of(m)));
        return calls;
    }

    /** The class to explain: asked for, or the top class once known; {@code null} before the first prediction. */
    Integer classIndex() {
        return classIndex;
    }

    /** Whether there is something to show (a prediction and a class), so a failing method can be shown as failed. */
    boolean showable() {
        return prediction != null && classIndex != null;
    }

    boolean hasPrediction() {
        return prediction != null;
    }

    boolean hasResults() {
        return !results.isEmpty();
    }

    void addEngineTime(double ms) {
        millis += ms;
    }

    /** Takes in one engine answer: its prediction, the class it explained and its maps. */
    void add(Explanation e) {
        prediction = e.prediction();
        classIndex = e.target().index();
        results.putAll(e.results());
    }

    /** Marks the methods of a failed engine call: cancelled by the user, or failed with the cause's sentence. */
    void fail(Set<Method> methods, Throwable cause, boolean byUser) {
        String why = byUser ? CANCELLED : Failures.message(cause);
        methods.forEach(m -> failures.put(m, why));
    }

    /** The outcome so far, with {@code pending} the methods still to come. Needs {@link #showable()}. */
    ExplainOutcome outcome(Set<Method> pending) {
        return new ExplainOutcome(query, prepared.input().seen(), prepared.thumbnail().sourceWidth(),
                prepared.thumbnail().sourceHeight(), prediction, prediction.score(classIndex), results, millis, false,
                pending, failures);
    }

    /** An outcome found whole in the cache. */
    static ExplainOutcome fromCache(ExplainQuery q, PreparedImage p, ExplanationCache.Lookup hit) {
        return new ExplainOutcome(q, p.input().seen(), p.thumbnail().sourceWidth(), p.thumbnail().sourceHeight(),
                hit.prediction(), hit.prediction().score(hit.classIndex()), hit.found(), 0, true);
    }
}
