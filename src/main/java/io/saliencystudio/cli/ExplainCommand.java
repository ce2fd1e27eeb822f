package io.saliencystudio.cli;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code explain}: maps, overlays and a JSON record per image. */
@Command(name = "explain", description = {
        "Explain each image: writes <out>/<image stem>/ with <method>.png (overlay on the image the model saw),",
        "<method>.npy (normalised map, H x W; signed maps raw/max|raw| in [-1, 1]), <method>-layer.npy (layer methods,",
        "at the layer's resolution),",
        "input.npy (the exact C x H x W tensor the model saw) and explanation.json.",
        "With --figure, also (or instead) a publication figure as PNG, SVG or PDF with a JSON provenance sidecar."})
final class ExplainCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Mixin
    TargetOptions target;

    @Mixin
    OverlayOptions overlay;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    FigureOptions figureOptions;

    @Mixin
    BatchedImages imageFiles;

    @Spec
    CommandSpec spec;

    // Declared apart from sanity's --out: what goes in the folder, and whether it is needed, differ.
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (created if missing); needed unless --figure is given.")
    Path out;

    @Override
    public Integer call() throws Exception {
        target.asked(); // a typo in --method costs no model load
        MethodSettings settings = methodOptions.settings();
        Colormap cmap = overlay.colormap();
        double opacity = overlay.opacity();
        int batchSize = imageFiles.batchSize();
        if (out == null && !figureOptions.enabled()) {
            throw new IllegalArgumentException("give --out DIR, --figure PATH, or both");
        }
        figureOptions.validate();
        ModelPackage pkg = options.open();
        if (out != null) {
            OutputFolder.prepare(out);
        }
        PrintWriter stdout = spec.commandLine().getOut();
        ImageBatch decoder = new ImageBatch(pkg.manifest(), spec.commandLine().getErr());
        ExplanationWriter writer = out == null ? null : new ExplanationWriter(out, pkg, cmap, opacity, settings);
        int explained;
        Set<Method> chosen;
        try (ExplanationEngine engine = new ExplanationEngine()) {
            LoadedModel loaded = engine.load(pkg).join();
            Integer targetClass = target.resolveClass(pkg, loaded.numClasses());
            chosen = target.forModel(loaded.hasTaps(), loaded.hasAttention(), pkg.id(), spec.commandLine().getErr());
            target.checkLayer(pkg, chosen);
            Progress progress = methodOptions.progress(spec.commandLine().getErr());
            explained = decoder.inBatches(imageFiles.images, batchSize, batch -> {
                List<ModelInput> inputs = batch.stream().map(ImageBatch.Decoded::input).toList();
                List<Explanation> results = engine.explain(loaded,
                        ExplainRequest.of(inputs, targetClass, chosen, target.layer).withSettings(settings), progress)
                        .join();
                for (int j = 0; j < results.size(); j++) {
                    warnUnstable(inputs.get(j), results.get(j));
                    if (writer != null) {
                        stdout.println(writer.write(inputs.get(j), results.get(j)));
                    }
                    figureOptions.add(inputs.get(j), results.get(j));
                }
                stdout.flush();
            });
            engine.unload(loaded).join();
        }
        figureOptions.export(pkg, chosen, cmap, opacity, stdout);
        if (explained == 0 && decoder.failures() > 0) {
            spec.commandLine().getErr().println("error: no image could be explained");
        }
        return decoder.failures() == 0 ? 0 : Main.SOME_FAILED;
    }

    /** A map computed with unstable weights is still written, and stderr says so (as the app's panel caption does). */
    private void warnUnstable(ModelInput input, Explanation e) {
        for (var r : e.results().values()) {
            Object warning = r.details().get("warning");
            if (warning != null) {
                spec.commandLine().getErr().println("warning: " + input.source() + ": " + r.method().displayName()
                        + " at " + r.layer() + ": " + warning);
            }
        }
    }
}
