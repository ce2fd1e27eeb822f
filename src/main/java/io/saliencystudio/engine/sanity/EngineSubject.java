package io.saliencystudio.engine.sanity;

import io.saliencystudio.engine.Failures;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;

/**
 * A freshly loaded copy of a model package in the engine, used by one cascade and unloaded after it. Each call is
 * one job on the inference thread, so the app's own explanations can run between the cascade's steps.
 */
final class EngineSubject implements CascadeSubject {

    private final ExplanationEngine engine;
    private final LoadedModel copy;
    private final ModelInput input;
    private final Set<Method> methods;
    private final String layer;
    private final MethodSettings settings;

    private EngineSubject(ExplanationEngine engine, LoadedModel copy, ModelInput input, Set<Method> methods,
            String layer, MethodSettings settings) {
        this.engine = engine;
        this.copy = copy;
        this.input = input;
        this.methods = methods;
        this.layer = layer;
        this.settings = settings;
    }

    /** Loads a private copy: the caller's loaded model is never randomised. */
    static EngineSubject open(ExplanationEngine engine, ModelPackage pkg, ModelInput input, Set<Method> methods,
            String layer, MethodSettings settings) {
        LoadedModel copy = await(engine.load(pkg));
        return new EngineSubject(engine, copy, input, methods, layer, settings);
    }

    /** The layer the layer methods use (the request's or the model's default), or null when no method needs one. */
    @Override
    public String layer() {
        return methods.stream().anyMatch(Method::needsLayer)
                ? (layer != null ? layer : copy.manifest().defaultLayer()) : null;
    }

    @Override
    public List<String> parameterNames() {
        // DJL objects are only touched on the inference thread.
        return await(engine.withNetwork(copy, 1, network -> copy.parameterNames()));
    }

    @Override
    public Explanation explain(Integer target, Progress progress) {
        ExplainRequest request = new ExplainRequest(List.of(input), Collections.singletonList(target), methods, layer,
                settings);
        return await(engine.explain(copy, request, progress)).get(0);
    }

    @Override
    public void randomize(long seed, Predicate<String> which) {
        await(engine.randomizeWeights(copy, seed, which));
    }

    @Override
    public void close() {
        await(engine.unload(copy));
    }

    /** Waits for an engine job, rethrowing its own exception (a cancel stays a CancellationException). */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            Throwable cause = Failures.rootCause(e);
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
