package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.InputSpec;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/** Small plain values for the service's collaborators: no engine, no model (pixel methods need no layer). */
final class CacheFixtures {

    static final ImageSource IMAGE = ImageSource.of(Path.of("cat.png"));
    static final String MODEL = "model.pt#abc";

    private CacheFixtures() {
    }

    /** A prediction over three classes whose top class is {@code top}. */
    static Prediction prediction(int top) {
        float[] logits = new float[3];
        logits[top] = 2f;
        return Prediction.fromLogits(logits, i -> "class " + i);
    }

    /** A 2x2 map of {@code method} filled with {@code value}. */
    static MethodResult result(Method method, float value) {
        float[] v = {value, value, value, value};
        return new MethodResult(method, new Heatmap(2, 2, v.clone(), v, value, value), null, null, 1.0);
    }

    static ExplainQuery query(Integer classIndex, Set<Method> methods, MethodSettings settings) {
        return new ExplainQuery(IMAGE, null, classIndex, null, methods, settings);
    }

    /** An engine answer explaining class {@code cls} with one map of value {@code value} per method. */
    static Explanation explanation(int cls, float value, Method... methods) {
        Prediction p = prediction(cls);
        Map<Method, MethodResult> results = new EnumMap<>(Method.class);
        for (Method m : methods) {
            results.put(m, result(m, value));
        }
        return new Explanation(IMAGE.id(), p, p.score(cls), results);
    }

    static PreparedImage prepared() {
        InputSpec spec = new InputSpec(3, 2, 2, InputSpec.ColorMode.RGB);
        ModelInput input = new ModelInput(spec, new float[12], RgbImage.blank(2, 2), "cat.png");
        return new PreparedImage(IMAGE, new Thumbnail(1, 1, new int[1], 40, 30), input);
    }
}
