package io.saliencystudio.cli;

import io.saliencystudio.engine.model.ModelCatalog;
import io.saliencystudio.engine.model.ModelFolders;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.ModelPackageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options shared by the commands: where models live and how chatty errors are. */
public class Options {

    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Folder of model packages, instead of the default ones (./models or the one shipped with the "
                    + "app, plus your own: ~/.local/share/saliency-studio/models).")
    Path modelsDir;

    /** Read by {@link ErrorHandler} from the parse result of the command that failed, not from this field. */
    @Option(names = {"-v", "--verbose"}, description = "Print stack traces and engine details.")
    boolean verbose;

    /** The bundled models folder: {@code --models-dir}, else {@link ModelFolders#bundledDir()}. */
    Path modelsDir() {
        return modelsDir != null ? modelsDir : ModelFolders.bundledDir();
    }

    /** The folders to list and to look model ids up in: {@code --models-dir} alone, else bundled then the user's. */
    List<Path> modelFolders() {
        if (modelsDir != null) {
            return List.of(modelsDir);
        }
        return ModelFolders.scanOrder(modelsDir(), ModelFolders.userDir());
    }

    /** The ids of the packages in the models folders, as {@code models} lists them; "none" when there are none. */
    private String knownIds() {
        try {
            List<String> ids = ModelCatalog.scan(modelFolders()).packages().stream().map(pkg -> pkg.manifest().id())
                    .distinct().toList();
            return ids.isEmpty() ? "none" : String.join(", ", ids);
        } catch (java.io.IOException e) {
            return "none (the models folders could not be read: " + e.getMessage() + ")";
        }
    }

    /** Opens {@code --model}: a package folder, a {@code .pt}, or the id of a package in the models folders. */
    ModelPackage openModel(String model) throws ModelPackageException {
        Path p = Path.of(model);
        boolean id = !model.contains("/") && !model.contains("\\");
        if (!Files.exists(p) && id) {
            for (Path folder : modelFolders()) {
                Optional<Path> entry = ModelCatalog.modelIn(folder.resolve(model));
                if (entry.isPresent()) {
                    return ModelPackage.open(entry.get());
                }
            }
            throw new ModelPackageException("No model '" + model + "': it is neither a file or folder nor the id of a "
                    + "model in " + String.join(" or ", modelFolders().stream().map(Path::toString).toList())
                    + ". Known ids: " + knownIds() + " (see the models command)");
        }
        return ModelPackage.open(p);
    }
}
