package io.saliencystudio.engine.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.training.GradientCollector;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Saliency and Grad-CAM for a batch from one forward and one backward pass. The model's {@code forward_tap} adds a
 * zero "probe" to the tapped activation; the gradient of the class score lands in the probe (Grad-CAM) and, when the
 * input requires grad, in the input (saliency). Runs on the inference thread only.
 */
final class ExplainPass {

    private ExplainPass() {}

    static List<Explanation> run(LoadedModel model, ExplainRequest request, LayerTap tap, String layerName) {
        List<Explanation> results = new ArrayList<>();
        InputSpec spec = model.manifest().input();
        int n = request.inputs().size();
        int k = model.numClasses();
        boolean saliency = request.methods().contains(Method.SALIENCY);
        boolean gradCam = request.methods().contains(Method.GRADCAM);
        long start = System.nanoTime();
        try (NDManager m = model.newRequestManager()) {
            NDArray x = model.batch(m, request.inputs());
            if (saliency) {
                x.setRequiresGradient(true);
            }
            NDList inputs = new NDList(x);
            NDArray probe = null;
            if (gradCam) {
                probe = m.zeros(new Shape(n, tap.channels(), tap.height(), tap.width()));
                probe.setRequiresGradient(true);
                inputs.add(m.create((long) tap.index()));
                inputs.add(probe);
                NDArray method = m.create(0f);
                method.setName("module_method:" + model.manifest().tapMethod());
                inputs.add(method);
            }
            float[][] logits;
            int[] targets = new int[n];
            NDArray activation;
            try (GradientCollector collector = TorchRuntime.engine().newGradientCollector()) {
                NDList out = IValueUtils.forward(model.block(), inputs, true);
                NDArray logitArray = out.get(0);
                activation = gradCam ? out.get(1) : null;
                logits = LoadedModel.rows(logitArray.toFloatArray(), n, k);
                float[] select = new float[n * k];
                for (int i = 0; i < n; i++) {
                    Integer t = request.targets().get(i);
                    targets[i] = t == null ? Prediction.fromLogits(logits[i], model.modelPackage()::label).top1() : t;
                    if (targets[i] < 0 || targets[i] >= k) {
                        throw new EngineException("class " + targets[i] + " is out of range: the model has " + k
                                + " classes (0.." + (k - 1) + ")");
                    }
                    select[i * k + targets[i]] = 1f;
                }
                // Per-image scores are independent in eval mode, so one backward of their sum gives every
                // image the gradient of its own target logit.
                NDArray score = logitArray.mul(m.create(select, new Shape(n, k))).sum();
                collector.backward(score);
            } catch (ai.djl.engine.EngineException e) {
                throw new EngineException("The model failed while explaining: " + LoadedModel.firstLine(e), e);
            }
            float[] salFlat = saliency ? x.getGradient().abs().sum(new int[] {1}).toFloatArray() : null;
            float[] camFlat = null;
            if (gradCam) {
                NDArray grad = probe.getGradient();
                NDArray weights = grad.sum(new int[] {2, 3}).div(tap.height() * tap.width());
                camFlat = activation.mul(weights.reshape(n, tap.channels(), 1, 1)).sum(new int[] {1})
                        .maximum(0f).toType(DataType.FLOAT32, false).toFloatArray();
            }
            int methodCount = (saliency ? 1 : 0) + (gradCam ? 1 : 0);
            double millisEach = (System.nanoTime() - start) / 1e6 / n / methodCount;
            int hw = spec.height() * spec.width();
            int thw = gradCam ? tap.height() * tap.width() : 0;
            for (int i = 0; i < n; i++) {
                Prediction prediction = Prediction.fromLogits(logits[i], model.modelPackage()::label);
                ClassScore target = prediction.score(targets[i]);
                Map<Method, MethodResult> maps = new EnumMap<>(Method.class);
                if (saliency) {
                    float[] raw = Arrays.copyOfRange(salFlat, i * hw, (i + 1) * hw);
                    maps.put(Method.SALIENCY, new MethodResult(Method.SALIENCY,
                            MapMath.saliency(raw, spec.width(), spec.height()), null, null, millisEach));
                }
                if (gradCam) {
                    float[] raw = Arrays.copyOfRange(camFlat, i * thw, (i + 1) * thw);
                    Heatmap layerMap = MapMath.gradCam(raw, tap.width(), tap.height());
                    maps.put(Method.GRADCAM, new MethodResult(Method.GRADCAM,
                            MapMath.upsample(layerMap, spec.width(), spec.height()), layerMap, layerName,
                            millisEach));
                }
                results.add(new Explanation(request.inputs().get(i).source(), prediction, target, maps));
            }
        }
        return results;
    }
}
