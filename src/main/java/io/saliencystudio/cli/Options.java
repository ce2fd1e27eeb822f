package io.saliencystudio.cli;

import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.ModelPackageException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the commands: where models live and how chatty errors are. */
public class Options {

    /** Set by {@code --verbose}; read by the error handler. */
    static volatile boolean verbose;

    @Option(names = "--models-dir", paramLabel = "DIR",
            description = "Folder of model packages (default: ./models, else the one shipped with the app).")
    Path modelsDir;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces and engine details.")
    void setVerbose(boolean v) {
        verbose = v;
    }

    /** The models folder: as given, else {@code ./models}, else {@code models/} beside the application. */
    Path modelsDir() {
        if (modelsDir != null) {
            return modelsDir;
        }
        Path local = Path.of("models");
        if (Files.isDirectory(local)) {
            return local;
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("models"))) {
                    return p.resolve("models");
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through to ./models, whose absence the caller reports
        }
        return local;
    }

    /** Opens {@code --model}: a package folder, a {@code .pt}, or the id of a package in the models folder. */
    ModelPackage openModel(String model) throws ModelPackageException {
        Path p = Path.of(model);
        if (!Files.exists(p) && !model.contains("/") && Files.isDirectory(modelsDir().resolve(model))) {
            p = modelsDir().resolve(model);
        }
        return ModelPackage.open(p);
    }
}
