package io.saliencystudio.cli;

import io.saliencystudio.engine.model.ModelCatalog;
import io.saliencystudio.engine.model.ModelManifest;
import io.saliencystudio.engine.model.ModelPackage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code models}: lists the model packages without loading any native code. */
@Command(name = "models", description = "List the model packages: id, name, classes, input, taps, default layer.")
final class ModelsCommand implements Callable<Integer> {

    @Mixin
    Options options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ModelCatalog catalog = ModelCatalog.scan(options.modelsDir());
        String format = "%-16s %-28s %7s %-11s %5s  %s%n";
        out.printf(format, "ID", "NAME", "CLASSES", "INPUT", "TAPS", "DEFAULT LAYER");
        for (ModelPackage p : catalog.packages()) {
            ModelManifest m = p.manifest();
            out.printf(format, p.id(), m.name(), p.labels().size(), m.input() + " " + m.input().colorMode(),
                    m.taps().size(), m.defaultLayer() == null ? "-" : m.defaultLayer());
        }
        for (ModelCatalog.Problem problem : catalog.problems()) {
            spec.commandLine().getErr().println("skipped " + problem.folder() + ": " + problem.message());
        }
        out.flush();
        return catalog.problems().isEmpty() ? 0 : Main.SOME_FAILED;
    }
}
