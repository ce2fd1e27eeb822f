package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.EnumSet;
import java.util.Set;

/**
 * One thing to show: an image, a model, a class ({@code null} = the top prediction), for layer methods a layer
 * ({@code null} = the model's default layer), the methods, and the knobs of those that have any.
 */
public record ExplainQuery(ImageSource image, LoadedModel model, Integer classIndex, String layer,
        Set<Method> methods, MethodSettings settings) {

    public ExplainQuery(ImageSource image, LoadedModel model, Integer classIndex, String layer, Set<Method> methods) {
        this(image, model, classIndex, layer, methods, MethodSettings.DEFAULTS);
    }

    public ExplainQuery {
        methods = methods.isEmpty() ? Method.core() : EnumSet.copyOf(methods);
        settings = settings == null ? MethodSettings.DEFAULTS : settings;
        if (layer == null && methods.stream().anyMatch(Method::needsLayer)) {
            layer = model.manifest().defaultLayer();
        }
    }
}
