package io.saliencystudio.engine.explain.gradient;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;

/** Vanilla gradient saliency: {@code S_ij = sum_ch |d logit / d x_ch,ij|} (methods.md, channel aggregation choice 6). */
public final class Saliency implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        InputSpec spec = context.network().input();
        return new RawMap(PixelMath.sumAbsOverChannels(context.pass().inputGradients()[image], spec.channels(),
                spec.height() * spec.width()), spec.width(), spec.height());
    }
}
