package io.saliencystudio.engine.sanity;

import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Method;
import java.util.List;
import java.util.Map;

/**
 * Cascading model-parameter randomisation (Adebayo et al. 2018) for one image.
 *
 * @param groups the layer groups in the order they were randomised (top first)
 * @param steps step 0 is the original model, step i has groups 0..i-1 randomised
 * @param flagged per method: true when its maps barely change under randomisation (fails the check)
 * @param threshold the Spearman rank correlation at the fully randomised step above which a method is flagged
 * @param target the class explained at every step, as the original model scored it (null in hand-built reports)
 * @param layer the layer of the layer methods (null when none was used or not recorded)
 * @param seed the seed of the randomisation; step i draws with {@code seed + i}
 */
public record SanityReport(List<String> groups, List<SanityStep> steps, Map<Method, Boolean> flagged,
        double threshold, ClassScore target, String layer, long seed) {

    /** The report without provenance (kept for callers of the first contract, e.g. hand-built test reports). */
    public SanityReport(List<String> groups, List<SanityStep> steps, Map<Method, Boolean> flagged, double threshold) {
        this(groups, steps, flagged, threshold, null, null, 0L);
    }

    /** The fully randomised step (the last). */
    public SanityStep last() {
        return steps.get(steps.size() - 1);
    }

    /** Whether any method failed the check. */
    public boolean anyFlagged() {
        return flagged.containsValue(Boolean.TRUE);
    }
}
