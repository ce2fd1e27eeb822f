package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Prediction;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the engine already answered: maps per (image, model, class, layer, method, method settings) in an LRU bounded
 * by bytes, and predictions per (image, model), which also lets "explain the top class" be answered without the
 * engine. Images and models are named by {@link ImageSource#id()} and {@link ImageStore#modelKey}. Thread-safe:
 * filled on the inference thread, read on the UI thread.
 */
final class ExplanationCache {

    /**
     * The identity of one map. {@code layer} is {@code null} for pixel methods (the layer does not change them);
     * {@code knobs} are the method's own settings ({@link MethodSettings#describe}), so other settings of the same
     * method are other maps while settings of other methods are not.
     */
    record MapKey(String image, String model, int classIndex, String layer, Method method,
            Map<String, Object> knobs) {

        static MapKey of(String image, String model, int classIndex, String layer, Method method,
                MethodSettings settings) {
            return new MapKey(image, model, classIndex, method.needsLayer() ? layer : null, method,
                    settings.describe(method));
        }
    }

    /**
     * What the cache holds for a query: the class it is about ({@code null} while the top class is unknown), the
     * prediction, the maps found and the methods still missing.
     */
    record Lookup(Integer classIndex, Prediction prediction, Map<Method, MethodResult> found, Set<Method> missing) {

        /** Whether the cache answers the query whole, without the engine. */
        boolean whole() {
            return missing.isEmpty() && prediction != null;
        }
    }

    private record PredictionKey(String image, String model) {}

    /** A map with the prediction of the pass that made it, so a cached map can be shown with its own scores. */
    private record Cached(MethodResult result, Prediction prediction) {}

    private final LruCache<MapKey, Cached> maps;
    private final LruCache<PredictionKey, Prediction> predictions;

    /** @param mapBytes the most the maps may weigh ({@link #weight}); predictions are bounded by count */
    ExplanationCache(long mapBytes) {
        this.maps = new LruCache<>(mapBytes, c -> weight(c.result()));
        this.predictions = new LruCache<>(50_000, p -> 1);
    }

    Lookup lookup(String image, String model, ExplainQuery q) {
        Prediction known = prediction(image, model).orElse(null);
        Integer cls = q.classIndex() != null ? q.classIndex() : known != null ? Integer.valueOf(known.top1()) : null;
        Map<Method, MethodResult> found = new EnumMap<>(Method.class);
        Prediction prediction = known;
        if (cls != null) {
            for (Method m : q.methods()) {
                var hit = maps.get(MapKey.of(image, model, cls, q.layer(), m, q.settings()));
                if (hit.isPresent()) {
                    found.put(m, hit.get().result());
                    prediction = hit.get().prediction();
                }
            }
        }
        Set<Method> missing = EnumSet.copyOf(q.methods());
        missing.removeAll(found.keySet());
        return new Lookup(cls, prediction, found, missing);
    }

    /** Records an engine answer for {@code q}: its prediction and each map, under the class it explained. */
    void put(String image, String model, ExplainQuery q, Explanation e) {
        putPrediction(image, model, e.prediction());
        int cls = e.target().index();
        for (var r : e.results().entrySet()) {
            maps.put(MapKey.of(image, model, cls, q.layer(), r.getKey(), q.settings()),
                    new Cached(r.getValue(), e.prediction()));
        }
    }

    void putPrediction(String image, String model, Prediction prediction) {
        predictions.put(new PredictionKey(image, model), prediction);
    }

    Optional<Prediction> prediction(String image, String model) {
        return predictions.get(new PredictionKey(image, model));
    }

    /** Number of cached maps. */
    int maps() {
        return maps.size();
    }

    /** Bytes of a result as the cache counts them: its float maps plus a fixed overhead. */
    static long weight(MethodResult r) {
        long w = 8L * r.map().values().length;
        if (r.layerMap() != null) {
            w += 8L * r.layerMap().values().length;
        }
        return w + 256;
    }
}
