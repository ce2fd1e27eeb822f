package io.saliencystudio.cli;

import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.ModelPackageException;
import picocli.CommandLine.Option;

/** {@code --model} plus the shared options, for the commands that work on one model. */
public class ModelOptions extends Options {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model package folder, .pt file or model id.")
    String model;

    /** Opens the model named by {@code --model}. */
    ModelPackage open() throws ModelPackageException {
        return openModel(model);
    }
}
