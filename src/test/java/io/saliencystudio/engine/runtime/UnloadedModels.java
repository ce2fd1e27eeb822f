package io.saliencystudio.engine.runtime;

import io.saliencystudio.engine.model.ModelPackage;

/** {@link LoadedModel}s without libtorch, for fake backends: metadata only, no network. */
public final class UnloadedModels {

    private UnloadedModels() {}

    /** The package's model as if loaded: as many classes as it has labels, taps as its manifest declares. */
    public static LoadedModel of(ModelPackage pkg) {
        return LoadedModel.unloaded(pkg, pkg.labels().size(), pkg.manifest().hasTaps());
    }
}
