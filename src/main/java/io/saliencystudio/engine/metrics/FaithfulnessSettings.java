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
}
