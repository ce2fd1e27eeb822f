package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.EnumSet;
import java.util.Set;

/**
 * One thing to show: an image, a model, a class ({@code null} = the top prediction) and, for Grad-CAM, a layer
 * ({@code null} = the model's default layer).
 */
public record ExplainQuery(ImageSource image, LoadedModel model, Integer classIndex, String layer,
        Set<Method> methods) {

    public ExplainQuery {
        methods = methods.isEmpty() ? Method.core() : EnumSet.copyOf(methods);
        if (methods.contains(Method.GRADCAM) && layer == null) {
            layer = model.manifest().defaultLayer();
        }
    }
}
