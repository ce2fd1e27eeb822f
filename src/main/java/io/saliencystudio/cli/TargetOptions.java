package io.saliencystudio.cli;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.model.ModelPackage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * What to explain, shared by {@code explain}, {@code evaluate} and {@code sanity}: the methods, the layer of the layer
 * methods and the class. {@code bench --methods} is not this option: it adds timing rows on top of the fixed ones and
 * has no default list.
 */
final class TargetOptions {

    @Option(names = "--method", paramLabel = "NAME[,NAME...]", description = {
            "Methods, comma-separated or repeated, or all (default: saliency,gradcam):",
            "saliency, gradcam, gradcam++, xgradcam, layercam, hirescam, scorecam, ablationcam, eigencam (layer methods),",
            "smoothgrad, ig, inputxgrad, occlusion (ig, inputxgrad and occlusion give signed maps)."})
    List<String> methods = new ArrayList<>();

    @Option(names = "--layer", paramLabel = "NAME", description = "Layer for the layer methods (Grad-CAM and relatives), a PyTorch module path such as layer4 or layer4.1.conv2 (default: the model's default layer).")
    String layer;

    @Option(names = "--class", paramLabel = "INDEX|LABEL", description = "Class to explain, as an index or a label (default: the top prediction of each image; sanity keeps the original model's at every step).")
    String targetClass;

    /** The methods asked for, saliency and Grad-CAM when none; a typo fails here, before any model loads. */
    Set<Method> asked() {
        Set<Method> asked = MethodOptions.parse(methods);
        if (asked.isEmpty()) {
            asked.addAll(Method.core());
        }
        return asked;
    }

    /** {@link #asked()} narrowed to what a model without layer taps can do (see {@link MethodOptions#forModel}). */
    Set<Method> forModel(boolean hasTaps, boolean hasAttention, String modelId, PrintWriter err) {
        return MethodOptions.forModel(asked(), MethodOptions.asksForAll(methods), hasTaps, hasAttention, modelId, err);
    }

    /** Fails as a usage error, before any image is read, when {@code --layer} names no tap and a layer method needs it. */
    void checkLayer(ModelPackage pkg, Set<Method> chosen) {
        if (layer != null && chosen.stream().anyMatch(Method::needsLayer)) {
            pkg.manifest().requireSpatialTap(layer);
        }
    }

    /**
     * {@code --class} as an index or a label of the model; {@code null} (each image's top class) when not given.
     *
     * @param numClasses the model's output size, or {@link Integer#MAX_VALUE} where it is not known yet (then only
     *     the lower bound is checked and the engine reports an index past the end)
     */
    Integer resolveClass(ModelPackage pkg, int numClasses) {
        if (targetClass == null) {
            return null;
        }
        int index;
        try {
            index = Integer.parseInt(targetClass.strip());
        } catch (NumberFormatException e) {
            index = pkg.indexOfLabel(targetClass).orElseThrow(() -> new IllegalArgumentException("--class '"
                    + targetClass + "' is neither a class index nor a label of model '" + pkg.id() + "'. Labels: "
                    + String.join(", ", pkg.labels().subList(0, Math.min(20, pkg.labels().size())))
                    + (pkg.labels().size() > 20 ? ", ..." : "")));
        }
        if (index < 0 || index >= numClasses) {
            throw new IllegalArgumentException("--class " + index + " is out of range: model '" + pkg.id() + "' has "
                    + numClasses + " classes (0.." + (numClasses - 1) + ")");
        }
        return index;
    }
}
