package io.saliencystudio.engine.sanity;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import java.util.List;
import java.util.Map;

/**
 * One step of the cascade: the maps after randomising {@code randomized} (cumulative, top layer first; empty for the
 * original model) and their similarity to the original maps.
 */
public record SanityStep(List<String> randomized, Map<Method, Heatmap> maps, Map<Method, Double> spearman,
        Map<Method, Double> ssim) {}
