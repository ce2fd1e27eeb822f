package io.saliencystudio.engine.metrics;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Progress;

/** Deletion / insertion (RISE, Petsiuk et al. 2018) and average drop / increase in confidence. */
public final class FaithfulnessMetrics {

    private FaithfulnessMetrics() {}

    /**
     * @param input the normalised input tensor (CHW) the map explains
     * @param map the method's map at the input resolution (ordering uses {@code raw}; ties by pixel index)
     */
    public static Faithfulness evaluate(Network network, float[] input, int target, Heatmap map,
            FaithfulnessSettings settings, Progress progress) {
        throw new UnsupportedOperationException("TODO(issue 5): being implemented");
    }
}
