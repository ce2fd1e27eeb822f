package io.saliencystudio.engine.image;

import io.saliencystudio.engine.model.InputSpec;

/**
 * One image ready for the model.
 *
 * @param tensor the normalised C x H x W floats the model sees, row-major
 * @param seen the same pixels before normalisation (after resize/crop/colour conversion), for overlays: heatmaps
 *     belong on the exact image the model saw
 * @param source where the image came from (a path or a name), for messages and file names
 */
public record ModelInput(InputSpec spec, float[] tensor, RgbImage seen, String source) {

    public ModelInput {
        if (tensor.length != spec.size()) {
            throw new IllegalArgumentException("tensor has " + tensor.length + " values, input " + spec + " needs " + spec.size());
        }
        if (seen.width() != spec.width() || seen.height() != spec.height()) {
            throw new IllegalArgumentException("seen image must be " + spec.width() + "x" + spec.height());
        }
    }
}
