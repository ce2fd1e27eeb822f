package io.saliencystudio.engine.explain;

/**
 * What one forward+backward returned, per input (row-major CHW arrays).
 *
 * @param logits pre-softmax logits
 * @param targets the class whose logit was differentiated (resolved top-1 where none was asked)
 * @param inputGradients d logit[target] / d input, or null when not asked
 * @param activations the tap's activation A, or null without a tap
 * @param activationGradients d logit[target] / d A, or null without a tap
 */
public record GradientPass(float[][] logits, int[] targets, float[][] inputGradients, float[][] activations,
        float[][] activationGradients) {

    public int size() {
        return logits.length;
    }
}
