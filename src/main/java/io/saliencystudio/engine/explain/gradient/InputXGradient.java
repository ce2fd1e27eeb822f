package io.saliencystudio.engine.explain.gradient;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;

/**
 * Input x Gradient (Shrikumar et al. 2016): {@code M_ij = sum_ch x_ch,ij * d logit / d x_ch,ij}, signed. {@code x} is
 * the normalised tensor the model sees (not pixels in [0, 255]), so a pixel at the dataset mean contributes nothing;
 * that is what Captum's {@code InputXGradient} computes on a model that takes normalised input. Read from the
 * request's shared forward+backward, so it costs no pass of its own.
 */
public final class InputXGradient implements Attribution {

    @Override
    public RawMap compute(AttributionContext context, int image) {
        InputSpec spec = context.network().input();
        float[] x = context.inputs().get(image);
        float[] g = context.pass().inputGradients()[image];
        float[] product = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            product[i] = x[i] * g[i];
        }
        return new RawMap(PixelMath.sumOverChannels(product, spec.channels(), spec.height() * spec.width()),
                spec.width(), spec.height());
    }
}
