package io.saliencystudio.engine.explain;

import io.saliencystudio.engine.model.AttentionSpec;

/**
 * Every layer's attention probabilities for one image, and (when asked) the gradient of the target logit w.r.t.
 * them, each {@code layers * heads * tokens * tokens} floats in {@code (layer, head, query, key)} order.
 *
 * @param gradients d logit[target] / d A, or null when not asked
 */
public record AttentionMaps(AttentionSpec spec, float[] probabilities, float[] gradients) {

    public AttentionMaps {
        if (probabilities.length != spec.size() || (gradients != null && gradients.length != spec.size())) {
            throw new IllegalArgumentException("attention maps must hold " + spec.size() + " values per image");
        }
    }
}
