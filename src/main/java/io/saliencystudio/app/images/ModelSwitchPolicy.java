package io.saliencystudio.app.images;

import io.saliencystudio.app.explain.ExplainViewModel;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What happens to the image list when another model is loaded. A list of nothing but bundled samples of another
 * model is replaced by the new model's samples (the shapes samples mean nothing to a digits model); the user's own
 * images stay and the selected one is explained again with the new model.
 */
public final class ModelSwitchPolicy {

    /** What to do with the list. */
    public enum Action {
        /** Empty the list and list the new model's samples. */
        SHOW_ITS_SAMPLES,
        /** Keep the list; explain the selection with the new model. */
        KEEP_THE_LIST
    }

    private final Path samplesDir;
    private final ImageListViewModel images;
    private final ExplainViewModel explain;

    /** @param samplesDir the folder of every model's bundled samples ({@code assets/samples}) */
    public ModelSwitchPolicy(Path samplesDir, ImageListViewModel images, ExplainViewModel explain) {
        this.samplesDir = samplesDir;
        this.images = images;
        this.explain = explain;
    }

    /** The bundled sample folder of a model ({@code <samplesDir>/<id>}), or {@code null} when it has none. */
    public Path samplesOf(ModelPackage pkg) {
        Path dir = samplesDir.resolve(pkg.id());
        return Files.isDirectory(dir) ? dir : null;
    }

    /**
     * The decision alone: {@code listed} are the paths in the list, {@code samplesDir} holds all bundled samples and
     * {@code modelSamples} the new model's ({@code null}: it has none).
     */
    public static Action decide(List<Path> listed, Path samplesDir, Path modelSamples) {
        boolean onlySamples = listed.stream().allMatch(p -> p.startsWith(samplesDir));
        boolean theseSamples = !listed.isEmpty() && modelSamples != null
                && listed.stream().allMatch(p -> p.startsWith(modelSamples));
        return modelSamples != null && onlySamples && !theseSamples ? Action.SHOW_ITS_SAMPLES : Action.KEEP_THE_LIST;
    }

    /** Applies the decision for a newly loaded {@code model}; nothing for {@code null} (no model). */
    public void modelChanged(LoadedModel model) {
        if (model == null) {
            return;
        }
        Path samples = samplesOf(model.modelPackage());
        List<Path> listed = images.items().stream().map(i -> i.source().path()).toList();
        if (decide(listed, samplesDir, samples) == Action.SHOW_ITS_SAMPLES) {
            // The list is emptied before the model changes, so the old selection (now none) is never explained
            // with the new model; the first new sample is explained once it is listed.
            images.clear();
            explain.setModel(model);
            images.setModel(model);
            images.add(List.of(samples));
        } else {
            explain.setModel(model);
            images.setModel(model);
        }
    }
}
