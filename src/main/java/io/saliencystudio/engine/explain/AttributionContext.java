package io.saliencystudio.engine.explain;

import io.saliencystudio.engine.model.LayerTap;
import java.util.List;

/**
 * Everything a method may use for one request.
 *
 * @param inputs the normalised input tensors (CHW), one per image
 * @param targets the class explained per image (already resolved)
 * @param pass the request's shared forward+backward (input gradients and/or the tap's activation and gradient, as
 *     the single-pass methods of the request needed); every method may read its logits
 * @param tap the layer for layer methods, null otherwise
 */
public record AttributionContext(Network network, List<float[]> inputs, int[] targets, GradientPass pass,
        LayerTap tap, MethodSettings settings, Progress progress) {}
