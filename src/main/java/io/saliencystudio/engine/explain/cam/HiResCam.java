package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;

/** TODO(issue 5): being implemented. */
public final class HiResCam implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        throw new UnsupportedOperationException("HiResCam is not implemented yet");
    }
}
