package io.saliencystudio.engine.audit;

/**
 * One image's line of an audit, everything later aggregates need (so a shard's rows are its whole result).
 *
 * @param image the image's name (path relative to the data set folder)
 * @param trueIndex the true class
 * @param predicted the top-1 class (the first of equal logits)
 * @param confidence softmax probability of the predicted class
 * @param trueProbability softmax probability of the true class
 * @param margin top-1 minus second-highest probability (0 for a one-class model)
 * @param loss cross-entropy of the true class, {@code -ln p_true}, computed as {@code logsumexp(logits) - logit_true}
 *     so that it stays finite where {@code p_true} underflows
 * @param trueRank 1 + the classes ranked above the true class (1 = correct); top-5 accuracy counts {@code <= 5}
 */
public record AuditRow(String image, int trueIndex, int predicted, double confidence, double trueProbability,
        double margin, double loss, int trueRank) {

    public boolean correct() {
        return predicted == trueIndex;
    }

    /** The row of one image from its logits; pure arithmetic in double. */
    public static AuditRow of(String image, int trueIndex, float[] logits) {
        if (trueIndex >= logits.length) {
            throw new IllegalArgumentException(image + ": class " + trueIndex + " but the model has " + logits.length
                    + " outputs");
        }
        int top = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[top]) {
                top = i;
            }
        }
        double max = logits[top];
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double logSum = max + Math.log(sum);
        double second = Double.NEGATIVE_INFINITY;
        int rank = 1;
        float t = logits[trueIndex];
        for (int i = 0; i < logits.length; i++) {
            if (i != top) {
                second = Math.max(second, logits[i]);
            }
            // ties rank the lower index first, as top-1 and Prediction.top do
            if (logits[i] > t || (logits[i] == t && i < trueIndex)) {
                rank++;
            }
        }
        double confidence = Math.exp(max - logSum);
        double secondP = second == Double.NEGATIVE_INFINITY ? 0 : Math.exp(second - logSum);
        double loss = logSum - t;
        return new AuditRow(image, trueIndex, top, confidence, Math.exp(-loss), confidence - secondP, loss, rank);
    }
}
