package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessMetrics;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.engine.sanity.SanityReport;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The seam between the app and the engine: everything the app asks of inference. {@link EngineBackend} forwards to
 * the real {@link io.saliencystudio.engine.runtime.ExplanationEngine}; tests wrap it to count calls or add delays.
 * Every method returns at once; futures complete on the inference thread. A future cancelled before its work
 * started is skipped by the engine.
 */
public interface ExplanationBackend extends AutoCloseable {

    CompletableFuture<LoadedModel> load(ModelPackage pkg, ComputeDevice device);

    CompletableFuture<List<Prediction>> predict(LoadedModel model, List<ModelInput> inputs);

    CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request);

    /**
     * As {@link #explain(LoadedModel, ExplainRequest)}, reporting progress to {@code progress}; when its
     * {@code cancelled()} turns true the future fails with a {@link java.util.concurrent.CancellationException} within
     * one native pass. Backends that cannot report progress ignore it.
     */
    default CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request,
            Progress progress) {
        return explain(model, request);
    }

    /** Runs {@code work} on the inference thread with the model seen as a {@link Network} (metrics). */
    default <T> CompletableFuture<T> withNetwork(LoadedModel model, int batchSize, Function<Network, T> work) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this backend cannot run metrics"));
    }

    /**
     * Deletion/insertion and average drop of {@code map} under {@code protocol}, on the inference thread. The default
     * runs {@link io.saliencystudio.engine.metrics.FaithfulnessMetrics} through {@link #withNetwork}; tests override
     * it to see which protocol the app asked for.
     */
    default CompletableFuture<Faithfulness> faithfulness(LoadedModel model, int batchSize, ModelInput input,
            int target, Heatmap map, FaithfulnessSettings protocol, Progress progress) {
        return withNetwork(model, batchSize,
                net -> FaithfulnessMetrics.evaluate(net, input.tensor(), target, map, protocol, progress));
    }

    /** The cascading-randomisation sanity check on a private copy of the model (the loaded one is untouched). */
    default CompletableFuture<SanityReport> sanityCheck(LoadedModel model, ModelInput input, Integer target,
            Set<Method> methods, String layer, MethodSettings settings, long seed, Progress progress) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("this backend cannot run sanity checks"));
    }

    CompletableFuture<Void> unload(LoadedModel model);

    /** Whether a GPU can be offered; asked off the UI thread (it may start the native library). */
    CompletableFuture<Boolean> gpuAvailable();

    @Override
    void close();
}
