package io.saliencystudio.engine.explain;

import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.ReceptiveField;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Runs a request's methods against a {@link Network}: one shared forward+backward for every single-pass method
 * (saliency, Grad-CAM and the CAM relatives, Input x Gradient, Eigen-CAM), then the multi-pass methods one image at a
 * time, then one normalisation per kind of map. Runs on whatever thread owns the network (the inference thread).
 */
public final class Explainer {

    private Explainer() {}

    /**
     * @param tap the layer for layer methods (null when the request has none)
     * @param layerName the tap's name, recorded in the results
     * @param labels class names for predictions
     */
    public static List<Explanation> explain(Network network, ExplainRequest request, LayerTap tap, String layerName,
            IntFunction<String> labels, Progress progress) {
        int n = request.inputs().size();
        List<float[]> tensors = request.inputs().stream().map(ModelInput::tensor).toList();
        int[] asked = new int[n];
        for (int i = 0; i < n; i++) {
            Integer t = request.targets().get(i);
            asked[i] = t == null ? -1 : t;
            if (t != null && (t < 0 || t >= network.numClasses())) {
                throw new IllegalArgumentException("class " + t + " is out of range: the model has "
                        + network.numClasses() + " classes (0.." + (network.numClasses() - 1) + ")");
            }
        }
        if (network.attention() == null && request.methods().stream().anyMatch(Method::needsAttention)) {
            throw new IllegalArgumentException("the model exposes no attention maps: "
                    + request.methods().stream().filter(Method::needsAttention).map(Method::displayName).toList()
                    + " need a vision transformer exported with them (models/tools/export.py)");
        }
        boolean inputGradient = request.methods().stream().anyMatch(m -> m.singlePass() && !m.needsLayer());
        boolean layerPass = request.methods().stream().anyMatch(m -> m.singlePass() && m.needsLayer());
        long start = System.nanoTime();
        // The pass also resolves "top prediction" targets, so multi-pass methods always have one.
        GradientPass pass = network.gradients(tensors, asked, layerPass ? tap : null, inputGradient);
        long singles = request.methods().stream().filter(Method::singlePass).count();
        double passMillis = (System.nanoTime() - start) / 1e6 / n / Math.max(1, singles);
        AttributionContext context = new AttributionContext(network, tensors, pass.targets(), pass, tap,
                request.settings(), progress);
        InputSpec spec = network.input();
        List<Explanation> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Prediction prediction = Prediction.fromLogits(pass.logits()[i], labels);
            Map<Method, MethodResult> maps = new EnumMap<>(Method.class);
            for (Method method : request.methods()) {
                progress.advance(i, n, method.displayName());
                long t0 = System.nanoTime();
                RawMap raw = Attributions.of(method).compute(context, i);
                double millis = (System.nanoTime() - t0) / 1e6 + (method.singlePass() ? passMillis : 0);
                maps.put(method, method.needsAttention() ? attentionResult(method, raw, spec, millis, request.settings())
                        : result(method, raw, spec, tap, layerName, millis, request.settings()));
            }
            out.add(new Explanation(request.inputs().get(i).source(), prediction, prediction.score(pass.targets()[i]),
                    maps));
        }
        return out;
    }

    /**
     * An attention method's map: normalised like a layer map at the patch grid, then upsampled bilinearly corner to
     * corner (token grids come from patch embeddings, so cells are drawn at the patch centres; no receptive field).
     */
    static MethodResult attentionResult(Method method, RawMap raw, InputSpec spec, double millis,
            MethodSettings settings) {
        Map<String, Object> details = new LinkedHashMap<>(settings.describe(method));
        details.putAll(raw.details());
        details.put("upsampling", Upsampling.BILINEAR.id() + (settings.upsampling() == Upsampling.BILINEAR ? ""
                : " (a token grid has no receptive field recorded)"));
        Heatmap gridMap = MapMath.gradCam(raw.values(), raw.width(), raw.height());
        return new MethodResult(method, MapMath.upsample(gridMap, spec.width(), spec.height()), gridMap, null, millis,
                details);
    }

    /** Normalises a raw map the way its kind is displayed; layer maps are also upsampled to the input. */
    static MethodResult result(Method method, RawMap raw, InputSpec spec, LayerTap tap, String layerName,
            double millis, MethodSettings settings) {
        Map<String, Object> details = new LinkedHashMap<>(settings.describe(method));
        details.putAll(raw.details());
        if (method.needsLayer()) {
            Heatmap layerMap = MapMath.gradCam(raw.values(), raw.width(), raw.height());
            ReceptiveField rf = tap == null ? null : tap.receptiveField();
            boolean centred = settings.upsampling() == Upsampling.RECEPTIVE_FIELD && rf != null;
            // What was done, in words that say why when the receptive field could not be used.
            details.put("upsampling", centred ? Upsampling.RECEPTIVE_FIELD.id()
                    : Upsampling.BILINEAR.id() + (settings.upsampling() == Upsampling.BILINEAR ? ""
                            : " (no receptive field recorded for this layer)"));
            if (centred) {
                details.put("receptiveField", rf.describe());
            }
            Heatmap up = centred ? MapMath.upsample(layerMap, spec.width(), spec.height(), rf)
                    : MapMath.upsample(layerMap, spec.width(), spec.height());
            return new MethodResult(method, up, layerMap, layerName, millis, details);
        }
        Heatmap map = method.signed() ? MapMath.signed(raw.values(), raw.width(), raw.height())
                : MapMath.saliency(raw.values(), raw.width(), raw.height());
        return new MethodResult(method, map, null, null, millis, details);
    }
}
