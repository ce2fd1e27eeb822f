package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;

/**
 * LayerCAM (Jiang et al. 2021): {@code L = ReLU(sum_k ReLU(g_k) * A_k)}, element-wise: each position keeps its own
 * (positive) gradient instead of a channel-wide weight, which is what lets it work at shallow layers.
 */
public final class LayerCam implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        return CamMath.elementwise(context, image, true);
    }
}
