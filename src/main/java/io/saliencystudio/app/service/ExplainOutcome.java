package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.image.RgbImage;
import java.util.Map;

/**
 * What the panels show for one query: the image the model saw, its prediction, the explained class and a result per
 * method that was asked for.
 *
 * @param sourceWidth width of the decoded file, before preprocessing (to map file coordinates onto {@code seen})
 * @param computeMillis wall time of the engine call that produced the missing maps; 0 when all came from the cache
 * @param fromCache whether no engine call was needed
 */
public record ExplainOutcome(ExplainQuery query, RgbImage seen, int sourceWidth, int sourceHeight,
        Prediction prediction, ClassScore target, Map<Method, MethodResult> results, double computeMillis,
        boolean fromCache) {

    public ExplainOutcome {
        results = Map.copyOf(results);
    }

    /** The map of a method, or {@code null} when it was not asked for. */
    public Heatmap map(Method method) {
        MethodResult r = results.get(method);
        return r == null ? null : r.map();
    }

    public MethodResult result(Method method) {
        return results.get(method);
    }
}
