package io.saliencystudio.engine.metrics;

/**
 * Faithfulness of one map for one image and class.
 *
 * @param deletion score as the most important pixels are replaced by the deletion substrate (zero in normalised space,
 *     the mean colour); lower AUC = more faithful
 * @param insertion score as the most important pixels are copied onto the blurred image; higher AUC = more faithful
 * @param originalScore the class score on the unmodified image (Y)
 * @param maskedScore the class score on the image multiplied by the normalised map (O)
 * @param averageDrop {@code max(0, Y - O) / Y} (Chattopadhay et al.); averaged over images by the caller
 * @param increase whether {@code O > Y} (increase in confidence)
 */
public record Faithfulness(Curve deletion, Curve insertion, double originalScore, double maskedScore,
        double averageDrop, boolean increase) {}
