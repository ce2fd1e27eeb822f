package io.saliencystudio.engine.runtime;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Explainer;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Progress;
import java.util.function.Function;
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
     * Explains a batch: every single-pass method from one forward and one backward pass, multi-pass methods after.
     *
     * @throws EngineException (in the future) for a layer the model does not have, a model without taps, a class out
     *     of range, or a failure inside TorchScript
     */
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request) {
        return explain(model, request, Progress.NONE);
    }

    /**
     * As {@link #explain(LoadedModel, ExplainRequest)}, reporting progress; a cancelled {@code progress} completes the
     * future with a {@link java.util.concurrent.CancellationException} within one native pass.
     */
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request, Progress progress) {
        return thread.submit(() -> explainNow(model, request, progress));
    }

    /**
     * Runs {@code work} on the inference thread with the model seen as a {@link Network} (for metrics and sanity
     * checks built from plain forwards and backwards).
     */
    public <T> CompletableFuture<T> withNetwork(LoadedModel model, int batchSize, Function<Network, T> work) {
        return thread.submit(() -> work.apply(new TorchNetwork(model, batchSize)));
    }

    /** The layer a request uses (its own or the model's default), resolved to a tap; for callers of withNetwork. */
    public static LayerTap tapFor(LoadedModel model, String layer) {
        return resolveTap(model, layer != null ? layer : model.manifest().defaultLayer());
    }

    /** Explains on the calling thread, which must be the inference thread (e.g. inside {@link #withNetwork}). */
    static List<Explanation> explainNow(LoadedModel model, ExplainRequest request, Progress progress) {
        String layer = null;
        LayerTap tap = null;
        if (request.needsLayer()) {
            layer = request.layer() != null ? request.layer() : model.manifest().defaultLayer();
            tap = resolveTap(model, layer);
        }
        if (!model.hasAttention() && request.methods().stream().anyMatch(Method::needsAttention)) {
            throw new EngineException(model.attentionUnavailableReason());
        }
        try {
            return Explainer.explain(new TorchNetwork(model, request.settings().batchSize()), request, tap, layer,
                    model.modelPackage()::label, progress);
        } catch (IllegalArgumentException e) {
            throw new EngineException(e.getMessage(), e);
        }
    }

    /** {@link #explainNow} for code that already holds a {@link Network} of this model on the inference thread. */
    public static List<Explanation> explainOn(Network network, LoadedModel model, ExplainRequest request,
            Progress progress) {
        if (!(network instanceof TorchNetwork)) {
            throw new IllegalArgumentException("not a network of a loaded model");
        }
        return explainNow(model, request, progress);
    }

    /** See {@link LoadedModel#randomizeWeights}; runs on the inference thread. */
    public CompletableFuture<List<String>> randomizeWeights(LoadedModel model, long seed,
            Predicate<String> which) {
        return thread.submit(() -> model.randomizeWeights(seed, which));
    }

    /** See {@link LoadedModel#parameterNames}; read on the inference thread (DJL reads them natively). */
    public CompletableFuture<List<String>> parameterNames(LoadedModel model) {
        return thread.submit(model::parameterNames);
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
            return manifest.requireSpatialTap(layer);
        } catch (IllegalArgumentException e) {
            throw new EngineException(e.getMessage(), e);
        }
    }

    /** The first calls of a TorchScript graph are several times slower (profiling); pay that here, not on screen. */
    private static void warmUp(LoadedModel model) {
        ModelManifest manifest = model.manifest();
        InputSpec spec = manifest.input();
        ModelInput blank = new ModelInput(spec, new float[spec.size()], RgbImage.blank(spec.width(), spec.height()), "warm-up");
        Set<Method> methods = model.hasTaps() ? Method.core() : EnumSet.of(Method.SALIENCY);
        for (int i = 0; i < 2; i++) {
            explainNow(model, ExplainRequest.of(List.of(blank), null, methods, null), Progress.NONE);
        }
    }

    @Override
    public void close() {
        thread.close();
    }
}
