package io.saliencystudio.engine.explain.gradient;

import io.saliencystudio.engine.explain.MethodSettings.Baseline;
import io.saliencystudio.engine.explain.MethodSettings.Fill;
import io.saliencystudio.engine.image.GaussianBlur;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.Preprocessing;

/**
 * Reference inputs in normalised space (what the model sees), for Integrated Gradients' baseline and Occlusion's fill.
 * All arrays are CHW, {@code spec.size()} floats.
 */
public final class Baselines {

    /** The blur's sigma is this fraction of the input's shorter side. */
    static final double BLUR_SIGMA_FRACTION = 0.1;

    private Baselines() {}

    /** The baseline for Integrated Gradients. */
    public static float[] of(Baseline baseline, float[] input, InputSpec spec, Preprocessing preprocessing) {
        return switch (baseline) {
            case MEAN -> new float[spec.size()];
            case BLACK -> black(spec, preprocessing);
            case BLURRED -> blurred(input, spec);
        };
    }

    /** The per-channel value an occluded window is filled with. */
    public static float[] fillValues(Fill fill, InputSpec spec, Preprocessing preprocessing) {
        float[] perChannel = new float[spec.channels()];
        if (fill == Fill.BLACK) {
            float[] black = black(spec, preprocessing);
            int hw = spec.height() * spec.width();
            for (int c = 0; c < perChannel.length; c++) {
                perChannel[c] = black[c * hw];
            }
        }
        return perChannel;
    }

    /**
     * Pixel value 0 normalised: {@code (0 / scale - mean_c) / std_c = -mean_c / std_c}. The manifest's mean and std
     * are in units after dividing by {@code scale} (e.g. 0.485 for 8-bit pixels / 255), so black is {@code -mean/std}
     * whatever the scale. A model with one mean/std for several channels uses it for all.
     */
    public static float[] black(InputSpec spec, Preprocessing preprocessing) {
        double[] mean = preprocessing.mean();
        double[] std = preprocessing.std();
        int hw = spec.height() * spec.width();
        float[] out = new float[spec.size()];
        for (int c = 0; c < spec.channels(); c++) {
            int k = Math.min(c, mean.length - 1);
            java.util.Arrays.fill(out, c * hw, (c + 1) * hw, (float) ((0 - mean[k]) / std[k]));
        }
        return out;
    }

    /**
     * The normalised input blurred channel by channel with a separable Gaussian: sigma = a tenth of the shorter side
     * (in input pixels), kernel radius {@code ceil(3 sigma)}, weights {@code exp(-d^2 / (2 sigma^2))} normalised to
     * sum 1, and pixels beyond the edge taken from the nearest edge pixel (clamped), horizontal pass first.
     * Such a heavy blur keeps the colours and removes the shapes, the "information-free" reference of Sturmfels et al.
     */
    public static float[] blurred(float[] input, InputSpec spec) {
        double sigma = BLUR_SIGMA_FRACTION * Math.min(spec.width(), spec.height());
        return GaussianBlur.blur(input, spec.channels(), spec.height(), spec.width(), sigma);
    }
}
