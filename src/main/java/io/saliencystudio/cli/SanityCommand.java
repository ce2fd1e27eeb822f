package io.saliencystudio.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.TorchRuntime;
import io.saliencystudio.engine.sanity.CascadingRandomization;
import io.saliencystudio.engine.sanity.SanityReport;
import io.saliencystudio.engine.sanity.SanityStep;
import io.saliencystudio.engine.sanity.SanityStrip;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sanity}: the cascading model-parameter randomisation check (Adebayo et al. 2018) for one image. */
@Command(name = "sanity", description = {
        "Sanity-check explanation methods on one image: randomise the model's layers from the output down",
        "(a private copy of the model), explain the image after each step and compare each map with the original",
        "(Spearman rank correlation, SSIM). A method whose map barely changes (final Spearman >= --threshold) is",
        "flagged: it is not explaining the model. With --out, writes sanity-<method>.png strips and sanity.json."})
final class SanityCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    ModelOptions options;

    @Mixin
    TargetOptions target;

    @Mixin
    OverlayOptions overlay;

    @Spec
    CommandSpec spec;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the randomisation; step i uses S + i (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--threshold", defaultValue = "0.5", paramLabel = "R", description = "Flag a method whose Spearman at the last step is at least R (default ${DEFAULT-VALUE}).")
    double threshold;

    // Declared apart from explain's --out: what goes in the folder, and whether it is needed, differ.
    @Option(names = "--out", paramLabel = "DIR", description = "Folder for sanity.json and one strip PNG per method (created if missing); without it only the table is printed.")
    Path out;

    // One image, not ImageFiles: the check explains it once per randomisation step.
    @Parameters(arity = "1", paramLabel = "IMAGE", description = "The image to explain.")
    Path image;

    @Override
    public Integer call() throws Exception {
        Set<Method> chosen = target.asked();
        Colormap cmap = overlay.colormap();
        double opacity = overlay.opacity();
        if (!(threshold >= -1 && threshold <= 1)) {
            throw new IllegalArgumentException("--threshold must be a rank correlation between -1 and 1, got " + threshold);
        }
        ModelPackage pkg = options.open();
        target.checkLayer(pkg, chosen); // a usage error before anything is loaded
        // Resolved before the check loads its own copy of the model, so only known labels bound the index here.
        Integer targetClass = target.resolveClass(pkg, pkg.labelsKnown() ? pkg.labels().size() : Integer.MAX_VALUE);
        if (out != null) {
            OutputFolder.prepare(out);
        }
        ModelInput input = new Preprocessor(pkg.manifest().input(), pkg.manifest().preprocessing())
                .apply(new ImageLoader().load(image), image.toString());
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        long start = System.nanoTime();
        SanityReport report;
        try (ExplanationEngine engine = new ExplanationEngine()) {
            long[] lastStep = {-1};
            Progress progress = (done, total, what) -> {
                if (done != lastStep[0] && done < total) {
                    lastStep[0] = done;
                    stderr.printf("step %d/%d: %s%n", done, total - 1, what);
                    stderr.flush();
                }
            };
            report = CascadingRandomization.run(engine, pkg, input, targetClass, chosen, target.layer,
                    MethodSettings.DEFAULTS, seed, threshold, progress).join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        printTable(stdout, pkg, report, chosen, seconds);
        if (out != null) {
            for (Method m : chosen) {
                Path strip = out.resolve(stripName(m));
                ImageIO.write(SanityStrip.render(report, m, input.seen(), cmap, opacity), "png", strip.toFile());
            }
            JSON.writeValue(out.resolve("sanity.json").toFile(), json(pkg, report, chosen, seconds));
            stdout.println("wrote " + out.resolve("sanity.json") + " and " + chosen.size() + " strip(s)");
        }
        stdout.flush();
        return 0;
    }

    static String stripName(Method m) {
        return "sanity-" + m.id() + ".png";
    }

    private void printTable(PrintWriter o, ModelPackage pkg, SanityReport r, Set<Method> chosen, double seconds) {
        o.printf(Locale.ROOT, "sanity check: model %s, image %s, class %s (%d)%s, seed %d, %d steps in %.1f s%n",
                pkg.id(), image.getFileName(), r.target().label(), r.target().index(),
                r.layer() == null ? "" : ", layer " + r.layer(), r.seed(), r.steps().size(), seconds);
        StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%4s  %-16s", "step", "randomised"));
        for (Method m : chosen) {
            header.append(String.format(Locale.ROOT, "  %16s  %6s", m.id() + " spearman", "ssim"));
        }
        o.println(header);
        for (int i = 0; i < r.steps().size(); i++) {
            SanityStep s = r.steps().get(i);
            String label = i == 0 ? "(original)" : "+" + r.groups().get(i - 1);
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%4d  %-16s", i, label));
            for (Method m : chosen) {
                row.append(String.format(Locale.ROOT, "  %16s  %6.3f", (s.maps().get(m).isBlank() ? "(blank) " : "")
                        + String.format(Locale.ROOT, "%.3f", s.spearman().get(m)), s.ssim().get(m)));
            }
            o.println(row);
        }
        for (Method m : chosen) {
            double last = r.last().spearman().get(m);
            o.println(Boolean.TRUE.equals(r.flagged().get(m))
                    ? String.format(Locale.ROOT, "%s: FLAGGED: its map barely changes when the model is randomised "
                            + "(final Spearman %.3f >= %.2f), so it does not explain this model", m.id(), last, r.threshold())
                    : String.format(Locale.ROOT, "%s: passes (final Spearman %.3f < %.2f)", m.id(), last, r.threshold()));
        }
    }

    private ObjectNode json(ModelPackage pkg, SanityReport r, Set<Method> chosen, double seconds) {
        ObjectNode json = JSON.createObjectNode();
        json.put("image", image.toString());
        json.putObject("model").put("id", pkg.id()).put("name", pkg.manifest().name())
                .put("sha256", pkg.manifest().sha256());
        json.putObject("target").put("index", r.target().index()).put("label", r.target().label())
                .put("probability", r.target().probability()).put("logit", r.target().logit());
        json.put("layer", r.layer());
        json.put("seed", r.seed());
        json.put("threshold", r.threshold());
        ArrayNode groups = json.putArray("groups");
        r.groups().forEach(groups::add);
        json.putObject("protocol")
                .put("randomisation", "cascading, output side first, cumulative; each group's parameters replaced "
                        + "by normal noise with the parameter's own standard deviation; step i seeded with seed + i")
                .put("spearman", "rank correlation with step 0 at input resolution, average ranks for ties; signed "
                        + "maps by absolute value")
                .put("ssim", "Wang et al. 2004: Gaussian window 11x11 sigma 1.5, K1 0.01, K2 0.03, data range 1, mean "
                        + "over pixels 5 or more from the border, on the [0,1] maps (signed: |raw| / max|raw|)")
                .put("flag", "final Spearman >= threshold")
                .put("blank", "a constant map (e.g. an all-negative Grad-CAM) has no ranking: Spearman 0 against a "
                        + "varying original, 1 when the original is constant too; steps list their blank methods");
        ObjectNode methodsNode = json.putObject("methods");
        for (Method m : chosen) {
            methodsNode.putObject(m.id()).put("signed", m.signed()).put("flagged", r.flagged().get(m))
                    .put("finalSpearman", r.last().spearman().get(m)).put("finalSsim", r.last().ssim().get(m))
                    .put("strip", stripName(m));
        }
        ArrayNode steps = json.putArray("steps");
        for (int i = 0; i < r.steps().size(); i++) {
            SanityStep s = r.steps().get(i);
            ObjectNode step = steps.addObject().put("step", i);
            ArrayNode randomized = step.putArray("randomized");
            s.randomized().forEach(randomized::add);
            ObjectNode sp = step.putObject("spearman");
            ObjectNode ss = step.putObject("ssim");
            ArrayNode blank = step.putArray("blank");
            for (Method m : chosen) {
                sp.put(m.id(), s.spearman().get(m));
                ss.put(m.id(), s.ssim().get(m));
                if (s.maps().get(m).isBlank()) {
                    blank.add(m.id());
                }
            }
        }
        json.put("seconds", Math.round(seconds * 1000) / 1000.0);
        json.putObject("app").put("version", Versions.app()).put("engine", "DJL PyTorch " + TorchRuntime.version())
                .put("threads", TorchRuntime.threads()).put("date", OffsetDateTime.now().toString());
        return json;
    }
}
