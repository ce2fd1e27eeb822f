package io.saliencystudio.cli;

import io.saliencystudio.engine.audit.AuditDataset;
import io.saliencystudio.engine.audit.AuditExtremes;
import io.saliencystudio.engine.audit.AuditItem;
import io.saliencystudio.engine.audit.ClassMaps;
import io.saliencystudio.engine.audit.AuditReportHtml;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.audit.AuditRun;
import io.saliencystudio.engine.audit.AuditSummary;
import io.saliencystudio.engine.audit.Auditor;
import io.saliencystudio.engine.audit.ConfusionCsv;
import io.saliencystudio.engine.audit.PredictionsCsv;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.image.ImageLoadException;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.render.Overlay;
import io.saliencystudio.engine.runtime.CpuThreads;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.engine.runtime.TorchRuntime;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code audit}: predictions over a labelled folder, its figures, and a report that explains the failures. */
@Command(name = "audit", description = {
        "Audit a labelled folder (labels.csv, or one subfolder per class): writes predictions.csv, confusion.csv,",
        "summary.json and report.html (confusion heat map, per-class table, reliability diagram, the most confident",
        "mistakes and least confident correct images with their overlays) to --out."})
final class AuditCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Mixin
    OverlayOptions overlay;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder (created if missing).")
    Path out;

    @Option(names = "--class-maps", description = "Also the mean saliency and Grad-CAM per true class, for correctly and "
            + "wrongly classified images (of the predicted class): class-maps.png and a section of the report. Explains "
            + "every image once more.")
    boolean classMaps;

    @Option(names = "--explain", defaultValue = "8", paramLabel = "N", description = "Mistakes and unsure correct images explained in the report, N of each (default ${DEFAULT-VALUE}; 0: none).")
    int explain;

    // The same option, help and default as explain's (TargetOptions): here it names the report's overlays.
    @Option(names = "--method", paramLabel = "NAME[,NAME...]", description = {
            "Methods, comma-separated or repeated, or all (default: saliency,gradcam):",
            "saliency, gradcam, gradcam++, xgradcam, layercam, hirescam, scorecam, ablationcam, eigencam (layer methods),",
            "smoothgrad, ig, inputxgrad, occlusion (ig, inputxgrad and occlusion give signed maps)."})
    List<String> methods = new ArrayList<>();

    @Option(names = "--resume", description = "Continue the predictions.csv in --out: its rows are kept, not recomputed.")
    boolean resume;

    @Option(names = "--overwrite", description = "Replace an existing predictions.csv (without --resume or this, an existing one stops the command).")
    boolean overwrite;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "N", description = "Images per prediction batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--io-threads", paramLabel = "N", description = "Decoding threads beside the inference thread (default: 1, one per 4 CPUs on larger machines, at most 4); without --threads, libtorch gets the physical cores left.")
    Integer ioThreads;

    @Option(names = "--progress", description = "Report progress on stderr (default: only when stderr is a terminal).")
    boolean progress;

    @Parameters(index = "0", paramLabel = "DATASET", description = "Folder with labels.csv and the images, or one subfolder per class (named by label or index).")
    Path dataset;

    @Override
    public Integer call() throws Exception {
        long start = System.nanoTime();
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1");
        }
        if (explain < 0) {
            throw new IllegalArgumentException("--explain must be 0 or more");
        }
        Set<Method> asked = MethodOptions.parse(methods);
        if (asked.isEmpty()) {
            asked.addAll(Method.core());
        }
        Colormap cmap = overlay.colormap();
        double opacity = overlay.opacity();
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        ModelPackage pkg = options.open();
        OutputFolder.prepare(out);
        Path csv = out.resolve(PredictionsCsv.FILE_NAME);
        if (Files.exists(csv) && !resume && !overwrite) {
            throw new IllegalArgumentException(csv + " exists: give --resume to continue it or --overwrite to start again");
        }
        List<String> labels = pkg.labels();
        AuditDataset data = AuditDataset.open(dataset, labels);
        int threads = ioThreads != null ? ioThreads : CpuThreads.forDecoding();
        if (threads < 1) {
            throw new IllegalArgumentException("--io-threads must be at least 1");
        }
        // Decoding keeps cores busy beside inference: unless told otherwise, libtorch gets the cores left.
        TorchRuntime.preferThreads(CpuThreads.besideDecoding(threads));
        ImageLoader loader = new ImageLoader();
        Preprocessor preprocessor = new Preprocessor(pkg.manifest().input(), pkg.manifest().preprocessing());
        Auditor.Decoder decoder = item -> preprocessor.apply(loader.load(item.file()), item.image());

        try (ExplanationEngine engine = new ExplanationEngine()) {
            LoadedModel loaded = engine.load(pkg).join();
            Set<Method> chosen = MethodOptions.forModel(asked, MethodOptions.asksForAll(methods), loaded.hasTaps(),
                    loaded.hasAttention(),
                    pkg.id(), err);
            Auditor auditor = new Auditor(decoder, inputs -> engine.predict(loaded, inputs).join().stream()
                    .map(Prediction::logits).toList(), batch, threads, 2);
            double startup = (System.nanoTime() - start) / 1e9;
            MemoryWatch memory = new MemoryWatch(progress || System.console() != null ? new ConsoleProgress(err)
                    : io.saliencystudio.engine.explain.Progress.NONE);
            AuditRun.Outcome outcome = AuditRun.run(data, labels, csv, resume, auditor, explain, memory);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("batch", batch);
            extra.put("ioThreads", threads);
            extra.put("threads", TorchRuntime.threads());
            extra.put("app", Versions.app());
            extra.put("engine", "DJL PyTorch " + TorchRuntime.version());
            extra.put("date", OffsetDateTime.now().toString());
            extra.put("droppedRows", outcome.droppedRows());
            extra.put("rssMiB", memory.summary());
            extra.put("predictSeconds", outcome.result().predictSeconds());
            extra.put("decodeWaitSeconds", outcome.result().decodeWaitSeconds());
            AuditSummary.RunInfo run = new AuditSummary.RunInfo(Map.of("id", pkg.id(), "name", pkg.manifest().name(),
                    "sha256", String.valueOf(pkg.manifest().sha256())), dataset.toString(), data.layout(), startup,
                    outcome.result().audited(), outcome.result().seconds(), outcome.resumedRows(), extra);
            ConfusionCsv.write(out.resolve(ConfusionCsv.FILE_NAME), outcome.tally(), labels);
            AuditSummary.write(out.resolve(AuditSummary.FILE_NAME),
                    AuditSummary.json(outcome.tally(), labels, outcome.skipped(), run));

            Map<String, AuditItem> byImage = new HashMap<>();
            data.items().forEach(i -> byImage.put(i.image(), i));
            AuditExtremes ex = outcome.extremes();
            ExampleExplainer explainer = new ExampleExplainer(engine, loaded, decoder, byImage, chosen, cmap, opacity, err);
            List<AuditReportHtml.Example> mistakes = explainer.explain(ex.mostConfidentMistakes());
            List<AuditReportHtml.Example> unsure = explainer.explain(ex.leastConfidentCorrect());
            String explained = chosen.isEmpty() ? "" : "Overlays: "
                    + chosen.stream().map(Method::displayName).collect(Collectors.joining(", "))
                    + " of the predicted class, on the image the model saw (" + cmap.id() + ", opacity " + opacity + ").";
            byte[] classMapsPng = null;
            String classMapsCaption = null;
            if (classMaps) {
                Set<Method> mapMethods = EnumSet.of(Method.SALIENCY);
                if (loaded.hasTaps()) {
                    mapMethods.add(Method.GRADCAM);
                }
                ClassMaps maps = AuditClassMaps.compute(engine, loaded, decoder, data.items(), mapMethods, batch, err);
                classMapsPng = AuditClassMaps.writePng(maps, labels, cmap, out.resolve(AuditClassMaps.FILE_NAME));
                classMapsCaption = "Mean of each image's normalised map (of the class the model predicted), per true "
                        + "class, over the images the model got right and wrong; one colour scale per method ("
                        + cmap.id() + ", 0 to the brightest mean). Layer: " + pkg.manifest().defaultLayer() + ".";
                stdout.println("wrote " + out.resolve(AuditClassMaps.FILE_NAME));
            }
            AuditReportHtml.write(out.resolve(AuditReportHtml.FILE_NAME), new AuditReportHtml.Content(
                    "Audit of " + dataset.getFileName() + " with " + pkg.id(), labels, outcome.tally(),
                    outcome.skipped(), run, explained, mistakes, unsure, classMapsPng, classMapsCaption));
            engine.unload(loaded).join();

            stdout.printf(Locale.ROOT, "%d images (%d resumed, %d skipped): accuracy %.4f, top-5 %.4f, ECE %.4f; "
                    + "%s images/s after start-up (%.1f s), start-up %.1f s%n", outcome.tally().images(),
                    outcome.resumedRows(), outcome.skipped().size(), outcome.tally().accuracy(),
                    outcome.tally().top5Accuracy(), outcome.tally().expectedCalibrationError(),
                    run.imagesPerSecond() == null ? "-" : String.format(Locale.ROOT, "%.0f", run.imagesPerSecond()),
                    outcome.result().seconds(), startup);
            stdout.println("wrote " + out.resolve(AuditReportHtml.FILE_NAME));
            stdout.flush();
            for (var s : outcome.skipped()) {
                err.println("skipped: " + s.file() + ": " + s.reason());
            }
            err.flush();
            return outcome.skipped().isEmpty() ? 0 : Main.SOME_FAILED;
        }
    }

    /** Decodes the report's few images again and explains them, in small batches. */
    private record ExampleExplainer(ExplanationEngine engine, LoadedModel loaded, Auditor.Decoder decoder,
            Map<String, AuditItem> byImage, Set<Method> methods, Colormap cmap, double opacity, PrintWriter err) {

        List<AuditReportHtml.Example> explain(List<AuditRow> rows) {
            List<AuditReportHtml.Example> out = new ArrayList<>();
            List<AuditRow> ready = new ArrayList<>();
            List<ModelInput> inputs = new ArrayList<>();
            for (AuditRow r : rows) {
                AuditItem item = byImage.get(r.image());
                if (item == null) {
                    continue; // a resumed row for an image no longer in the folder
                }
                try {
                    inputs.add(decoder.decode(item));
                    ready.add(r);
                } catch (ImageLoadException e) {
                    err.println("note: " + r.image() + " not shown in the report: " + e.getMessage());
                }
            }
            for (int from = 0; from < inputs.size(); from += 8) {
                List<ModelInput> chunk = inputs.subList(from, Math.min(inputs.size(), from + 8));
                List<Explanation> results = methods.isEmpty() ? null
                        : engine.explain(loaded, ExplainRequest.of(chunk, null, methods, null)).join();
                for (int i = 0; i < chunk.size(); i++) {
                    List<AuditReportHtml.Panel> panels = new ArrayList<>();
                    panels.add(new AuditReportHtml.Panel("image", png(Overlay.image(chunk.get(i).seen()))));
                    if (results != null) {
                        for (MethodResult m : results.get(i).results().values()) {
                            Colormap c = m.signed() ? Colormap.COOLWARM : cmap;
                            panels.add(new AuditReportHtml.Panel(m.method().displayName(),
                                    png(Overlay.composite(chunk.get(i).seen(), m.map(), c, opacity))));
                        }
                    }
                    out.add(new AuditReportHtml.Example(ready.get(from + i), panels));
                }
            }
            return out;
        }

        private static byte[] png(BufferedImage image) {
            try {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                ImageIO.write(image, "png", bytes);
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Samples the process's resident set after each batch: after the first 1,000 images, the largest, and at the end
     * (memory must stay bounded however large the folder).
     */
    private static final class MemoryWatch implements io.saliencystudio.engine.explain.Progress {
        private final io.saliencystudio.engine.explain.Progress inner;
        private long after1000;
        private long max;
        private long last;

        MemoryWatch(io.saliencystudio.engine.explain.Progress inner) {
            this.inner = inner;
        }

        @Override
        public void report(long done, long total, String what) {
            last = BenchCommand.rssKib();
            max = Math.max(max, last);
            if (after1000 == 0 && done >= 1000) {
                after1000 = last;
            }
            inner.report(done, total, what);
        }

        @Override
        public boolean cancelled() {
            return inner.cancelled();
        }

        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("after1000Images", after1000 == 0 ? null : after1000 / 1024);
            m.put("max", max / 1024);
            m.put("end", last / 1024);
            return m;
        }
    }
}
