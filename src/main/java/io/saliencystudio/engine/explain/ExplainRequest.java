package io.saliencystudio.engine.explain;

import io.saliencystudio.engine.image.ModelInput;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What to explain: a batch of images, the class per image ({@code null} = the top prediction), the methods and,
 * for layer methods, the layer (a module path; {@code null} = the model's default layer).
 */
public record ExplainRequest(List<ModelInput> inputs, List<Integer> targets, Set<Method> methods, String layer,
        MethodSettings settings) {

    public ExplainRequest(List<ModelInput> inputs, List<Integer> targets, Set<Method> methods, String layer) {
        this(inputs, targets, methods, layer, MethodSettings.DEFAULTS);
    }

    public ExplainRequest {
        settings = settings == null ? MethodSettings.DEFAULTS : settings;
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("nothing to explain: no images");
        }
        if (targets == null) {
            targets = Collections.nCopies(inputs.size(), null);
        } else if (targets.size() != inputs.size()) {
            throw new IllegalArgumentException("one target per image expected, got " + targets.size() + " for " + inputs.size());
        }
        targets = Collections.unmodifiableList(new ArrayList<>(targets));
        methods = methods == null || methods.isEmpty() ? Method.core() : EnumSet.copyOf(methods);
    }

    /** One class for every image. */
    public static ExplainRequest of(List<ModelInput> inputs, Integer target, Set<Method> methods, String layer) {
        return new ExplainRequest(inputs, Collections.nCopies(inputs.size(), target), methods, layer);
    }

    /** The same request with other method settings. */
    public ExplainRequest withSettings(MethodSettings s) {
        return new ExplainRequest(inputs, targets, methods, layer, s);
    }

    public boolean needsLayer() {
        return methods.stream().anyMatch(Method::needsLayer);
    }
}
