package io.saliencystudio.engine.sanity;

import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The sanity check: loads a private copy of the model, randomises its layer groups from the top down, explains the
 * same image after each step and compares every map with the original (Spearman rank correlation and SSIM).
 * The user's loaded model is never touched.
 */
public final class CascadingRandomization {

    private CascadingRandomization() {}

    /**
     * @param target class to explain; null = the original model's top prediction (kept fixed for every step)
     * @param layer layer for layer methods; null = the model's default
     */
    public static CompletableFuture<SanityReport> run(ExplanationEngine engine, ModelPackage pkg, ModelInput input,
            Integer target, Set<Method> methods, String layer, MethodSettings settings, long seed,
            Progress progress) {
        throw new UnsupportedOperationException("TODO(issue 5): being implemented");
    }
}
