package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;

/**
 * HiResCAM (Draelos and Carin 2020): {@code L = ReLU(sum_k g_k * A_k)}, element-wise. Without the spatial averaging
 * of Grad-CAM's weights the map provably reflects the locations the score used (for a network ending in global
 * average pooling and a linear layer, it is the class score's per-position contribution times the pool size).
 */
public final class HiResCam implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        return CamMath.elementwise(context, image, false);
    }
}
