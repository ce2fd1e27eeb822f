package io.saliencystudio.app.service;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The production backend: the engine and its single inference thread. */
public final class EngineBackend implements ExplanationBackend {

    private final ExplanationEngine engine;

    public EngineBackend(ExplanationEngine engine) {
        this.engine = engine;
    }

    @Override
    public CompletableFuture<LoadedModel> load(ModelPackage pkg, ComputeDevice device) {
        return engine.load(pkg, device);
    }

    @Override
    public CompletableFuture<List<Prediction>> predict(LoadedModel model, List<ModelInput> inputs) {
        return engine.predict(model, inputs);
    }

    @Override
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request) {
        return engine.explain(model, request);
    }

    @Override
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request, Progress progress) {
        return engine.explain(model, request, progress);
    }

    @Override
    public CompletableFuture<Void> unload(LoadedModel model) {
        return engine.unload(model);
    }

    @Override
    public CompletableFuture<Boolean> gpuAvailable() {
        return engine.gpuAvailable();
    }

    @Override
    public void close() {
        engine.close();
    }
}
