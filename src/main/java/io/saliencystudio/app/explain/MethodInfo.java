package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Method;

/** What each method computes, in a sentence or two, for tooltips (the definitions are in the method notes). */
final class MethodInfo {

    private MethodInfo() {}

    /** The tooltip of a panel's title; {@code method = null} is the model-input panel. */
    static String tooltip(Method method) {
        if (method == null) {
            return "The image exactly as the model saw it (after resize, crop and colour conversion)";
        }
        String what = switch (method) {
            case SALIENCY -> "Vanilla gradient: for each pixel, the sum over colour channels of |d logit / d input|,\n"
                    + "min-max normalised per map. Pixel-precise, often noisy.";
            case GRADCAM -> "Grad-CAM (Selvaraju et al.): ReLU of the layer's activations weighted by the spatial mean\n"
                    + "of the class logit's gradient, min-max normalised, upsampled bilinearly\n"
                    + "(half-pixel centres). Region-level; the layer sets the resolution.";
            case GRADCAM_PLUS_PLUS -> "Grad-CAM++ (Chattopadhay et al.): channel weights from second and third powers\n"
                    + "of the gradient (exp-of-score assumption); better with several instances of a class.\n"
                    + "No epsilon in the denominator by default; pytorch-grad-cam adds 1e-6 (--gradcampp-eps 1e-6).";
            case XGRADCAM -> "XGrad-CAM (Fu et al.): channel weights sum(grad × A) / sum(A).";
            case LAYERCAM -> "LayerCAM (Jiang et al.): element-wise ReLU(grad) × A summed over channels;\n"
                    + "works at shallow layers too.";
            case HIRESCAM -> "HiResCAM (Draelos and Carin): element-wise grad × A summed over channels;\n"
                    + "faithful to the model's computation at the layer.";
            case SCORECAM -> "Score-CAM (Wang et al.): one masked forward per channel, weighted by the class\n"
                    + "probability. Gradient-free; one pass per channel (slow).\n"
                    + "pytorch-grad-cam softmaxes the masked logits across channels (--scorecam-weights channel-softmax).";
            case ABLATIONCAM -> "Ablation-CAM (Desai and Ramaswamy): one forward per channel with that channel\n"
                    + "zeroed; weight = relative drop of the class score. One pass per channel (slow).\n"
                    + "As pytorch-grad-cam: (y - y_k) / y, whose signs flip when the logit y is negative.";
            case EIGENCAM -> "Eigen-CAM (Muhammad and Yeasin): the activations projected on their first principal\n"
                    + "component. Class-agnostic: the same map for every class. Its sign is fixed here (positive\n"
                    + "correlation with the channel sum); pytorch-grad-cam leaves it arbitrary.";
            case SMOOTHGRAD -> "SmoothGrad (Smilkov et al.): saliency averaged over noisy copies of the input\n"
                    + "(sigma as a fraction of the input range; seeded). One pass per sample.\n"
                    + "Captum's NoiseTunnel stdevs is absolute: stdevs = sigma × (max − min of the input).";
            case INTEGRATED_GRADIENTS -> "Integrated Gradients (Sundararajan et al.): gradients integrated along the\n"
                    + "path from a baseline to the input, times (input − baseline). Signed; one pass per step.";
            case INPUT_X_GRADIENT -> "Input × Gradient (Shrikumar et al.): the input times its gradient, summed over\n"
                    + "channels. Signed.";
            case OCCLUSION -> "Occlusion (Zeiler and Fergus): the drop in the class logit when a window covers the\n"
                    + "pixel, averaged over the windows. Signed; one pass per window position.";
            case ROLLOUT -> "Attention rollout (Abnar and Zuidema): per layer the head-mean attention mixed with the\n"
                    + "identity (0.5 A + 0.5 I) for the residual, multiplied over layers; the class token's row on\n"
                    + "the patch grid. Class-independent: the same map for every class.";
            case GRAD_ROLLOUT -> "Gradient rollout (Chefer et al. 2021): per layer the head mean of ReLU(grad × A),\n"
                    + "accumulated as R = R + Ā R over layers; the class token's row on the patch grid.";
        };
        String cost = method.singlePass() ? "" : "\nMulti-pass: shows progress and can be cancelled.";
        String layer = method.needsLayer() ? "\nNeeds a model exported with layer taps."
                : method.needsAttention() ? "\nNeeds a vision transformer exported with attention maps." : "";
        return what + cost + layer;
    }
}
