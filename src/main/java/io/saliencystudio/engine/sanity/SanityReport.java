package io.saliencystudio.engine.sanity;

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
 */
public record SanityReport(List<String> groups, List<SanityStep> steps, Map<Method, Boolean> flagged,
        double threshold) {}
