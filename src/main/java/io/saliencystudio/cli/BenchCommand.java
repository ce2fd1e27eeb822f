package io.saliencystudio.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.engine.runtime.TorchRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bench}: medians of forward, each method, both together and batch throughput, with model load and RSS. */
@Command(name = "bench", description = {"Time forward, saliency, Grad-CAM, both, and batch throughput (medians, min, max);",
        "--methods adds a row per method (one image, with the method options given)."})
final class BenchCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Spec
    CommandSpec spec;


    @Option(names = "--repeat", defaultValue = "20", paramLabel = "N", description = "Timed runs per measurement (default ${DEFAULT-VALUE}).")
    int repeat;

    // Not BatchedImages: here it sizes one throughput run over noise inputs, and bench takes no images.
    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Batch size for the throughput run (default ${DEFAULT-VALUE}).")
    int batch;

    // Each command's --json writes its own record (predict's is a flag for JSON lines), so each declares it.
    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON.")
    Path json;

    // Not TargetOptions' --method: these rows come on top of the fixed ones, with no default list and no layer or class.
    @Option(names = "--methods", split = ",", paramLabel = "NAME[,NAME...]", description = "Also time these methods, one image each (all = every method).")
    List<String> methods = new ArrayList<>();

    @Mixin
    MethodOptions methodOptions;

    @Option(names = "--soak", defaultValue = "0", paramLabel = "N",
            description = "Then run N consecutive explanations and report RSS and speed early vs late (leak check).")
    int soak;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Set<Method> asked = MethodOptions.parse(methods); // usage errors before the model loads
        MethodSettings settings = methodOptions.settings();
        long rssStart = rssKib();
        ModelPackage pkg = options.open();
        Map<String, double[]> rows = new LinkedHashMap<>();
        try (ExplanationEngine engine = new ExplanationEngine()) {
            engine.gpuAvailable().join(); // start the native library outside the timed load
            long t0 = System.nanoTime();
            LoadedModel loaded = engine.load(pkg).join();
            double loadMs = (System.nanoTime() - t0) / 1e6;
            long rssLoaded = rssKib();
            List<ModelInput> one = noise(pkg.manifest().input(), 1, 1);
            List<ModelInput> many = noise(pkg.manifest().input(), batch, 2);
            Set<Method> both = loaded.hasTaps() ? Method.core() : EnumSet.of(Method.SALIENCY);
            rows.put("forward", time(() -> engine.predict(loaded, one).join()));
            rows.put("saliency", time(() -> engine.explain(loaded, ExplainRequest.of(one, null, EnumSet.of(Method.SALIENCY), null)).join()));
            if (loaded.hasTaps()) {
                rows.put("gradcam", time(() -> engine.explain(loaded, ExplainRequest.of(one, null, EnumSet.of(Method.GRADCAM), null)).join()));
                rows.put("saliency+gradcam", time(() -> engine.explain(loaded, ExplainRequest.of(one, null, both, null)).join()));
            }
            Set<Method> extra = MethodOptions.forModel(asked, MethodOptions.asksForAll(methods), loaded.hasTaps(),
                    loaded.hasAttention(),
                    pkg.id(), spec.commandLine().getErr());
            for (Method m : extra) {
                if (!rows.containsKey(m.id())) {
                    rows.put(m.id(), time(() -> engine.explain(loaded,
                            ExplainRequest.of(one, null, EnumSet.of(m), null).withSettings(settings)).join()));
                }
            }
            double[] batchMs = time(() -> engine.explain(loaded, ExplainRequest.of(many, null, both, null)).join());
            rows.put("batch " + batch + " (" + String.join("+", both.stream().map(Method::id).toList()) + ")", batchMs);
            long rssEnd = rssKib();
            Soak soakResult = soak > 0 ? soak(engine, loaded, one, both) : null;
            engine.unload(loaded).join();

            out.printf("model %s (%s), input %s, %d threads, %d runs each, DJL PyTorch %s%n", pkg.id(), pkg.manifest().name(),
                    pkg.manifest().input(), TorchRuntime.threads(), repeat, TorchRuntime.version());
            out.printf("model load (incl. 2 warm-up passes): %.0f ms%n", loadMs);
            out.printf("%-34s %9s %9s %9s %10s%n", "", "median ms", "min", "max", "x forward");
            double forward = median(rows.get("forward"));
            for (Map.Entry<String, double[]> r : rows.entrySet()) {
                double[] v = r.getValue();
                out.printf("%-34s %9.2f %9.2f %9.2f %10.2f%n", r.getKey(), median(v), min(v), max(v), median(v) / forward);
            }
            out.printf("batch throughput: %.1f images/s%n", batch * 1000.0 / median(batchMs));
            out.printf("JVM RSS: %d MiB at start, %d MiB after load, %d MiB at end%n", rssStart / 1024, rssLoaded / 1024, rssEnd / 1024);
            if (soakResult != null) {
                out.printf("soak %d explanations: RSS %d MiB after %d, %d MiB halfway, %d MiB at end (%+.1f%% over the second"
                        + " half); median %.2f ms first %d, %.2f ms last %d%n",
                        soak, soakResult.rssWarm / 1024, soakResult.window, soakResult.rssHalf / 1024, soakResult.rssEnd / 1024,
                        100.0 * (soakResult.rssEnd - soakResult.rssHalf) / Math.max(1, soakResult.rssHalf), soakResult.firstMs,
                        soakResult.window, soakResult.lastMs, soakResult.window);
                out.printf("soak open file descriptors: %d at start, %d at end (%+d)%n", soakResult.fdStart,
                        soakResult.fdEnd, soakResult.fdEnd - soakResult.fdStart);
            }
            if (json != null) {
                writeJson(pkg, loadMs, rows, batchMs, rssStart, rssLoaded, rssEnd);
            }
        }
        out.flush();
        return 0;
    }

    private record Soak(int window, long rssWarm, long rssHalf, long rssEnd, double firstMs, double lastMs,
            long fdStart, long fdEnd) {}

    /** Many explanations in a row: native memory must stay flat once warm, and calls must not slow down. */
    private Soak soak(ExplanationEngine engine, LoadedModel loaded, List<ModelInput> one, Set<Method> methods) {
        int window = Math.max(1, Math.min(100, soak / 10));
        double[] ms = new double[soak];
        long rssWarm = 0;
        long rssHalf = 0;
        long fdStart = openFiles();
        for (int i = 0; i < soak; i++) {
            long t = System.nanoTime();
            engine.explain(loaded, ExplainRequest.of(one, null, methods, null)).join();
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (i == window - 1) {
                rssWarm = rssKib();
            }
            if (i == soak / 2 - 1) {
                rssHalf = rssKib();
            }
        }
        return new Soak(window, rssWarm, rssHalf, rssKib(), median(Arrays.copyOfRange(ms, 0, window)),
                median(Arrays.copyOfRange(ms, soak - window, soak)), fdStart, openFiles());
    }

    private double[] time(Runnable work) {
        work.run(); // one more warm-up for this exact shape of request
        double[] ms = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return ms;
    }

    private void writeJson(ModelPackage pkg, double loadMs, Map<String, double[]> rows, double[] batchMs,
            long rssStart, long rssLoaded, long rssEnd) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("model", pkg.id()).put("threads", TorchRuntime.threads()).put("repeat", repeat).put("loadMs", loadMs)
                .put("imagesPerSecond", batch * 1000.0 / median(batchMs))
                .put("rssStartMiB", rssStart / 1024).put("rssLoadedMiB", rssLoaded / 1024).put("rssEndMiB", rssEnd / 1024);
        ObjectNode timings = root.putObject("timings");
        rows.forEach((k, v) -> timings.putObject(k).put("medianMs", median(v)).put("minMs", min(v)).put("maxMs", max(v)));
        mapper.writeValue(json.toFile(), root);
    }

    private static List<ModelInput> noise(InputSpec spec, int n, long seed) {
        Random r = new Random(seed);
        List<ModelInput> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] t = new float[spec.size()];
            for (int j = 0; j < t.length; j++) {
                t[j] = (float) r.nextGaussian();
            }
            out.add(new ModelInput(spec, t, RgbImage.blank(spec.width(), spec.height()), "noise-" + i));
        }
        return out;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(Double.NaN);
    }

    /** Open file descriptors of this process ({@code /proc/self/fd}, Linux); -1 where unavailable. */
    static long openFiles() {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Resident set size of this process from /proc (Linux); 0 where unavailable. */
    static long rssKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: RSS is reported as 0
        }
        return 0;
    }
}
