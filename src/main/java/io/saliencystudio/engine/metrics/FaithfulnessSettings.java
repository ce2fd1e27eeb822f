package io.saliencystudio.engine.metrics;

/**
 * The protocol of the faithfulness metrics, recorded with every result (these choices change the numbers).
 *
 * @param pixelsPerStep pixels removed/inserted per step; 0 = one image row's worth (the input width), as RISE uses
 *     224 for 224x224
 * @param probability score with the softmax probability of the class (RISE) rather than its logit
 * @param insertionBlurSigma sigma of the Gaussian blur that is the insertion substrate, in input pixels; 0 = RISE's
 *     5 px scaled to the input (5 * width / 224, at least 1)
 */
public record FaithfulnessSettings(int pixelsPerStep, boolean probability, double insertionBlurSigma) {

    public static final FaithfulnessSettings RISE = new FaithfulnessSettings(0, true, 0);

    public FaithfulnessSettings {
        if (pixelsPerStep < 0 || !(insertionBlurSigma >= 0)) {
            throw new IllegalArgumentException("pixels per step and blur sigma must not be negative");
        }
    }

    /** Pixels per step for an input this wide. */
    public int pixelsPerStepFor(int width) {
        return pixelsPerStep > 0 ? pixelsPerStep : Math.max(1, width);
    }

    /** Blur sigma for an input this wide: RISE's 5 px at 224 scales with the image, so small inputs are not wiped out. */
    public double blurSigmaFor(int width) {
        return insertionBlurSigma > 0 ? insertionBlurSigma : Math.max(1.0, 5.0 * width / 224.0);
    }

    public FaithfulnessSettings withPixelsPerStep(int n) {
        return new FaithfulnessSettings(n, probability, insertionBlurSigma);
    }

    public FaithfulnessSettings withProbability(boolean p) {
        return new FaithfulnessSettings(pixelsPerStep, p, insertionBlurSigma);
    }
}
