package io.saliencystudio.cli;

import io.saliencystudio.engine.model.ModelCatalog;
import io.saliencystudio.engine.model.ModelFolders;
import io.saliencystudio.engine.model.ModelManifest;
import io.saliencystudio.engine.model.ModelPackage;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code models}: lists the model packages without loading any native code. */
@Command(name = "models", description = "List the model packages (bundled and your own): id, name, classes, input, taps, default layer, source.")
final class ModelsCommand implements Callable<Integer> {

    @Mixin
    Options options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> folders = options.modelFolders();
        ModelCatalog catalog = options.modelsDir != null ? ModelCatalog.scan(options.modelsDir)
                : ModelCatalog.scan(folders);
        Path user = ModelFolders.userDir();
        String format = "%-16s %-28s %7s %-11s %5s  %-13s  %s%n";
        out.printf(format, "ID", "NAME", "CLASSES", "INPUT", "TAPS", "DEFAULT LAYER", "SOURCE");
        for (ModelPackage p : catalog.packages()) {
            ModelManifest m = p.manifest();
            String source = options.modelsDir == null && p.location().startsWith(user) ? "user" : "bundled";
            out.printf(format, p.id(), m.name(), p.labels().size(), m.input() + " " + m.input().colorMode(),
                    m.taps().size(), m.defaultLayer() == null ? "-" : m.defaultLayer(), source);
        }
        for (ModelCatalog.Problem problem : catalog.problems()) {
            spec.commandLine().getErr().println("skipped " + problem.folder() + ": " + problem.message());
        }
        if (options.modelsDir == null) {
            out.println();
            out.println("bundled models: " + options.modelsDir().toAbsolutePath().normalize());
            out.println("your models:    " + user + (Files.isDirectory(user) ? ""
                    : " (not created yet: put model packages there, or add one with Open model... in the app)"));
        }
        out.flush();
        return catalog.problems().isEmpty() ? 0 : Main.SOME_FAILED;
    }
}
