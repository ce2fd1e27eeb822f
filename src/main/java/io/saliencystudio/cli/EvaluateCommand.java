package io.saliencystudio.cli;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessMetrics;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.metrics.PointingGame;
import io.saliencystudio.engine.metrics.Road;
import io.saliencystudio.engine.metrics.RoadMetric;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.ModelPackage;
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

/** {@code evaluate}: how faithful each method's map is, per image and on average. */
@Command(name = "evaluate", description = {
        "Score how faithful each method's map is: deletion and insertion AUC (RISE), average drop and increase in",
        "confidence, and the pointing game when the image folder's labels.csv has a box (x0,y0,x1,y1) for the image;",
        "with --road also ROAD (remove and debias, MoRF and LeRF at 10..90%, as pytorch-grad-cam).",
        "Prints means per method; --csv and --json write every image."})
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Mixin
    TargetOptions target;

    @Mixin
    MethodOptions methodOptions;

    @Mixin
    BatchedImages imageFiles;

    @Spec
    CommandSpec spec;

    @Option(names = "--pixels-per-step", defaultValue = "0", paramLabel = "N", description = "Pixels removed/inserted per step (default: the input width, one row's worth, as RISE).")
    int pixelsPerStep;

    @Option(names = "--logit", description = "Score with the class logit instead of its softmax probability (AUCs are then not in [0, 1]).")
    boolean logit;

    @Option(names = "--blur-sigma", defaultValue = "0", paramLabel = "PX", description = "Insertion blur sigma in input pixels (default: 5 * width / 224, RISE's 5 px scaled).")
    double blurSigma;

    @Option(names = "--road", description = "Also ROAD: the score after the 10%, 20%, ..., 90% most (MoRF) and least (LeRF) "
            + "relevant pixels are removed and filled in by noisy linear imputation (18 more forwards per map).")
    boolean road;

    @Option(names = "--road-noise", defaultValue = "0.01", paramLabel = "SD", description = "ROAD imputation noise, in "
            + "normalised input units (default 0.01, as pytorch-grad-cam); seeded, so runs repeat.")
    double roadNoise;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write one row per image and method, plus a (mean) row per method.")
    Path csv;

    // Each command's --json writes its own record (predict's is a flag for JSON lines), so each declares it.
    @Option(names = "--json", paramLabel = "FILE", description = "Write the protocol, every result with its curves, and the means.")
    Path json;

    @Override
    public Integer call() throws Exception {
        target.asked(); // a typo in --method costs no model load
        if (pixelsPerStep < 0) {
            throw new IllegalArgumentException("--pixels-per-step must be 0 (one row) or more, got " + pixelsPerStep);
        }
        if (!(roadNoise >= 0)) {
            throw new IllegalArgumentException("--road-noise must be 0 or more, got " + roadNoise);
        }
        if (!(blurSigma >= 0)) {
            throw new IllegalArgumentException("--blur-sigma must be 0 (automatic) or more, got " + blurSigma);
        }
        int batchSize = imageFiles.batchSize();
        MethodSettings settings = methodOptions.settings();
        FaithfulnessSettings protocol = new FaithfulnessSettings(pixelsPerStep, !logit, blurSigma);
        RoadMetric.Settings roadSettings = road ? new RoadMetric.Settings(roadNoise, 0, !logit) : null;
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ModelPackage pkg = options.open();
        ImageBatch decoder = new ImageBatch(pkg.manifest(), err);
        GroundTruthBoxes truth = new GroundTruthBoxes(err);
        EvaluationReport report;
        try (ExplanationEngine engine = new ExplanationEngine()) {
            LoadedModel loaded = engine.load(pkg).join();
            Integer targetClass = target.resolveClass(pkg, loaded.numClasses());
            Set<Method> chosen = target.forModel(loaded.hasTaps(), loaded.hasAttention(), pkg.id(), err);
            target.checkLayer(pkg, chosen);
            boolean layered = chosen.stream().anyMatch(Method::needsLayer);
            report = new EvaluationReport(pkg, chosen, protocol, roadSettings, settings,
                    layered ? (target.layer != null ? target.layer : pkg.manifest().defaultLayer()) : null);
            Progress progress = methodOptions.progress(err);
            decoder.inBatches(imageFiles.images, batchSize, batch -> evaluateBatch(engine, loaded, pkg, batch,
                    targetClass, chosen, settings, protocol, roadSettings, truth, report, progress));
            engine.unload(loaded).join();
        }
        if (report.rows().isEmpty()) {
            err.println("error: no image could be evaluated");
            return decoder.failures() > 0 ? Main.SOME_FAILED : Main.FAILED;
        }
        report.printTable(out);
        if (csv != null) {
            report.writeCsv(csv);
            out.println("wrote " + csv);
        }
        if (json != null) {
            report.writeJson(json);
            out.println("wrote " + json);
        }
        out.flush();
        return decoder.failures() == 0 ? 0 : Main.SOME_FAILED;
    }

    private void evaluateBatch(ExplanationEngine engine, LoadedModel loaded, ModelPackage pkg,
            List<ImageBatch.Decoded> pending, Integer targetClass, Set<Method> chosen, MethodSettings settings,
            FaithfulnessSettings protocol, RoadMetric.Settings roadSettings, GroundTruthBoxes truth,
            EvaluationReport report, Progress progress) {
        long start = System.nanoTime();
        ExplainRequest request = ExplainRequest.of(pending.stream().map(ImageBatch.Decoded::input).toList(),
                targetClass, chosen, target.layer).withSettings(settings);
        List<Explanation> explanations = engine.explain(loaded, request, progress).join();
        double explainMsPerImage = (System.nanoTime() - start) / 1e6 / pending.size();
        InputSpec input = pkg.manifest().input();
        int tolerance = PointingGame.toleranceFor(input.width());
        for (int j = 0; j < pending.size(); j++) {
            long imageStart = System.nanoTime();
            ImageBatch.Decoded d = pending.get(j);
            Explanation e = explanations.get(j);
            int[] fileBox = truth.boxOf(d.file());
            int[] box = fileBox == null ? null : PointingGame.boxToInput(fileBox, d.sourceWidth(), d.sourceHeight(),
                    input, pkg.manifest().preprocessing());
            for (Method m : chosen) {
                MethodResult r = e.result(m);
                long t0 = System.nanoTime();
                Faithfulness f = engine.withNetwork(loaded, settings.batchSize(), net -> FaithfulnessMetrics.evaluate(
                        net, d.input().tensor(), e.target().index(), r.map(), protocol, progress)).join();
                Road roadResult = roadSettings == null ? null : engine.withNetwork(loaded, settings.batchSize(),
                        net -> RoadMetric.evaluate(net, d.input().tensor(), e.target().index(), r.map(), roadSettings,
                                progress)).join();
                double metricsMs = (System.nanoTime() - t0) / 1e6;
                PointingGame.Result pointing = box == null ? null : PointingGame.play(r.map(), box, tolerance);
                report.add(new EvaluationReport.Row(d.input().source(), m, e.target().index(), e.target().label(), f,
                        pointing, box, r.map().isBlank(), r.millis(), metricsMs, roadResult));
            }
            report.imageDone(explainMsPerImage + (System.nanoTime() - imageStart) / 1e6);
        }
    }
}
