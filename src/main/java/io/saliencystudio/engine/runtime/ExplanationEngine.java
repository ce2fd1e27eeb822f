package io.saliencystudio.engine.runtime;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.ModelManifest;
import io.saliencystudio.engine.model.ModelPackage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's front door: loads models and computes predictions and explanations on the single
 * {@link InferenceThread}. Every method may be called from any thread and returns at once with a future; nothing here
 * blocks the caller. Results are plain Java values.
 */
public final class ExplanationEngine implements AutoCloseable {

    private final InferenceThread thread = new InferenceThread();

    /** Loads a model package (native load, eval mode, output check, warm-up). */
    public CompletableFuture<LoadedModel> load(ModelPackage pkg) {
        return load(pkg, ComputeDevice.CPU);
    }

    /**
     * Loads a model package onto a device. {@link ComputeDevice#GPU} fails (in the future) with an
     * {@link EngineException} when no CUDA device is visible; check {@link #gpuAvailable()} first.
     */
    public CompletableFuture<LoadedModel> load(ModelPackage pkg, ComputeDevice device) {
        return thread.submit(() -> {
            if (device == ComputeDevice.GPU && !TorchRuntime.gpuAvailable()) {
                throw new EngineException("No CUDA GPU is visible to the PyTorch engine: use the CPU, or run with the "
                        + "CUDA flavour of the native library on a machine with an NVIDIA GPU");
            }
            LoadedModel model = LoadedModel.load(pkg, device.toDjl());
            warmUp(model);
            return model;
        });
    }

    /**
     * Whether a CUDA device is usable, asked on the inference thread (the first call starts the native library,
     * which takes seconds on a cold cache, so callers on a UI thread must not ask {@link TorchRuntime} directly).
     */
    public CompletableFuture<Boolean> gpuAvailable() {
        return thread.submit(TorchRuntime::gpuAvailable);
    }

    /** Logits, probabilities and ranking for each image, in order. */
    public CompletableFuture<List<Prediction>> predict(LoadedModel model, List<ModelInput> inputs) {
        return thread.submit(() -> {
            float[][] logits = model.logits(inputs);
            List<Prediction> out = new ArrayList<>();
            for (float[] l : logits) {
                out.add(Prediction.fromLogits(l, model.modelPackage()::label));
            }
            return out;
        });
    }

    /**
     * Explains a batch in one forward and one backward pass.
     *
     * @throws EngineException (in the future) for a layer the model does not have, a model without taps, a class out
     *     of range, or a failure inside TorchScript
     */
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request) {
        return thread.submit(() -> {
            String layer = null;
            LayerTap tap = null;
            if (request.needsLayer()) {
                layer = request.layer() != null ? request.layer() : model.manifest().defaultLayer();
                tap = resolveTap(model, layer);
            }
            return ExplainPass.run(model, request, tap, layer);
        });
    }

    /** See {@link LoadedModel#randomizeWeights}; runs on the inference thread. */
    public CompletableFuture<List<String>> randomizeWeights(LoadedModel model, long seed,
            Predicate<String> which) {
        return thread.submit(() -> model.randomizeWeights(seed, which));
    }

    /** Closes a model on the inference thread, after any work queued before. */
    public CompletableFuture<Void> unload(LoadedModel model) {
        return thread.submit(() -> {
            model.close();
            return null;
        });
    }

    static LayerTap resolveTap(LoadedModel model, String layer) {
        ModelManifest manifest = model.manifest();
        if (!model.hasTaps()) {
            throw new EngineException("Model '" + manifest.id() + "' has no layer taps, so Grad-CAM is not available "
                    + "(saliency works). Re-export it with models/tools/export.py to add them");
        }
        try {
            return manifest.requireTap(layer);
        } catch (IllegalArgumentException e) {
            throw new EngineException(e.getMessage(), e);
        }
    }

    /** The first calls of a TorchScript graph are several times slower (profiling); pay that here, not on screen. */
    private static void warmUp(LoadedModel model) {
        ModelManifest manifest = model.manifest();
        InputSpec spec = manifest.input();
        ModelInput blank = new ModelInput(spec, new float[spec.size()], RgbImage.blank(spec.width(), spec.height()), "warm-up");
        Set<Method> methods = model.hasTaps() ? EnumSet.allOf(Method.class) : EnumSet.of(Method.SALIENCY);
        LayerTap tap = model.hasTaps() ? resolveTap(model, manifest.defaultLayer()) : null;
        for (int i = 0; i < 2; i++) {
            ExplainPass.run(model, ExplainRequest.of(List.of(blank), null, methods, null), tap, manifest.defaultLayer());
        }
    }

    @Override
    public void close() {
        thread.close();
    }
}
