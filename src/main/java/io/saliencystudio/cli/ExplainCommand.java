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
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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
    FigureOptions figureOptions;

    @Spec
    CommandSpec spec;


    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--method", paramLabel = "NAME[,NAME...]", description = {
            "Methods, comma-separated or repeated, or all (default: saliency,gradcam):",
            "saliency, gradcam, gradcam++, xgradcam, layercam, hirescam, scorecam, ablationcam, eigencam (layer methods),",
            "smoothgrad, ig, inputxgrad, occlusion. Signed maps (ig, inputxgrad, occlusion) are drawn with coolwarm."})
    List<String> methods = new ArrayList<>();

    @Option(names = "--layer", paramLabel = "NAME", description = "Layer for the layer methods (Grad-CAM and relatives), a PyTorch module path such as layer4 or layer4.1.conv2 (default: the model's default layer).")
    String layer;

    @Option(names = "--class", paramLabel = "INDEX|LABEL", description = "Class to explain (default: the top prediction of each image).")
    String targetClass;

    @Option(names = "--colormap", defaultValue = "viridis", paramLabel = "NAME", description = "viridis, inferno, magma, plasma, turbo, jet, gray, coolwarm (default ${DEFAULT-VALUE}).")
    String colormap;

    @Option(names = "--opacity", defaultValue = "0.5", paramLabel = "A", description = "Heatmap opacity in the overlay, 0..1 (default ${DEFAULT-VALUE}).")
    double opacity;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Images per forward/backward pass (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (created if missing); needed unless --figure is given.")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders of images.")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        Set<Method> asked = MethodOptions.parse(methods);
        if (asked.isEmpty()) {
            asked.addAll(Method.core());
        }
        MethodSettings settings = methodOptions.settings();
        Colormap cmap = Colormap.fromId(colormap);
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("--opacity must be between 0 and 1, got " + opacity);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("--batch must be at least 1");
        }
        if (out == null && !figureOptions.enabled()) {
            throw new IllegalArgumentException("give --out DIR, --figure PATH, or both");
        }
        figureOptions.validate();
        ModelPackage pkg = options.open();
        if (out != null) {
            prepareOutput();
        }
        PrintWriter stdout = spec.commandLine().getOut();
        ImageBatch batch = new ImageBatch(pkg.manifest(), spec.commandLine().getErr());
        ExplanationWriter writer = out == null ? null : new ExplanationWriter(out, pkg, cmap, opacity, settings);
        int written = 0;
        Set<Method> chosen;
        try (ExplanationEngine engine = new ExplanationEngine()) {
            LoadedModel loaded = engine.load(pkg).join();
            Integer target = resolveClass(pkg, loaded.numClasses(), targetClass);
            chosen = MethodOptions.forModel(asked, MethodOptions.asksForAll(methods), loaded.hasTaps(), pkg.id(),
                    spec.commandLine().getErr());
            if (layer != null && chosen.stream().anyMatch(Method::needsLayer)) {
                pkg.manifest().requireTap(layer); // fail before any image is read, as a usage error
            }
            Progress progress = methodOptions.progress(spec.commandLine().getErr());
            List<ModelInput> pending = new ArrayList<>();
            List<Path> files = batch.expand(images);
            for (int i = 0; i < files.size(); i++) {
                ModelInput input = batch.load(files.get(i));
                if (input != null) {
                    pending.add(input);
                }
                if (pending.size() == batchSize || (i == files.size() - 1 && !pending.isEmpty())) {
                    List<Explanation> results = engine.explain(loaded,
                            ExplainRequest.of(pending, target, chosen, layer).withSettings(settings), progress).join();
                    for (int j = 0; j < results.size(); j++) {
                        if (writer != null) {
                            stdout.println(writer.write(pending.get(j), results.get(j)));
                        }
                        figureOptions.add(pending.get(j), results.get(j));
                        written++;
                    }
                    stdout.flush();
                    pending.clear();
                }
            }
            engine.unload(loaded).join();
        }
        figureOptions.export(pkg, chosen, cmap, opacity, stdout);
        if (written == 0 && batch.failures() > 0) {
            spec.commandLine().getErr().println("error: no image could be explained");
        }
        return batch.failures() == 0 ? 0 : Main.SOME_FAILED;
    }

    /** {@code --class} as an index or a label of the model; {@code null} (each image's top class) when not given. */
    static Integer resolveClass(ModelPackage pkg, int numClasses, String targetClass) {
        if (targetClass == null) {
            return null;
        }
        int index;
        try {
            index = Integer.parseInt(targetClass.strip());
        } catch (NumberFormatException e) {
            index = pkg.indexOfLabel(targetClass).orElseThrow(() -> new IllegalArgumentException("--class '"
                    + targetClass + "' is neither a class index nor a label of model '" + pkg.id() + "'. Labels: "
                    + String.join(", ", pkg.labels().subList(0, Math.min(20, pkg.labels().size())))
                    + (pkg.labels().size() > 20 ? ", ..." : "")));
        }
        if (index < 0 || index >= numClasses) {
            throw new IllegalArgumentException("--class " + index + " is out of range: model '" + pkg.id() + "' has "
                    + numClasses + " classes (0.." + (numClasses - 1) + ")");
        }
        return index;
    }

    private void prepareOutput() throws IOException {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IOException("cannot create output folder " + out + " (" + e.getMessage() + "): choose a writable --out");
        }
        if (!Files.isWritable(out)) {
            throw new IOException("output folder " + out + " is not writable: choose another --out");
        }
    }
}
