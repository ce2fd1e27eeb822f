package io.saliencystudio.engine.explain;

import java.util.Map;

/** Everything computed for one image in one request: the prediction, the explained class, and a map per method. */
public record Explanation(String source, Prediction prediction, ClassScore target, Map<Method, MethodResult> results) {

    public MethodResult result(Method method) {
        return results.get(method);
    }
}
