package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.List;
import java.util.concurrent.CompletableFuture;

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
     * As {@link #explain(LoadedModel, ExplainRequest)}, with progress and cancellation: once {@code progress} reports
     * cancelled, the engine stops at its next check (between native passes) and the future completes with a
     * {@link java.util.concurrent.CancellationException}. Backends without progress ignore it.
     */
    default CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request, Progress progress) {
        return explain(model, request);
    }

    CompletableFuture<Void> unload(LoadedModel model);

    /** Whether a GPU can be offered; asked off the UI thread (it may start the native library). */
    CompletableFuture<Boolean> gpuAvailable();

    @Override
    void close();
}
