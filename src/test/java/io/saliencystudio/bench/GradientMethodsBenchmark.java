package io.saliencystudio.bench;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Not a test: per-method latency of the gradient family for one image at default settings (median of 5 after two
 * warm-up runs; {@code -Dbench.repeat}, {@code -Dbench.warmUp} change that) and Integrated Gradients' completeness
 * gap on the sample images. Run by hand with {@code -Dai.djl.pytorch.num_threads=2 -Dai.djl.offline=true} and the
 * test class path; arguments are model package folders.
 */
public final class GradientMethodsBenchmark {

    private static final List<Method> METHODS = List.of(Method.SALIENCY, Method.INPUT_X_GRADIENT, Method.SMOOTHGRAD,
            Method.INTEGRATED_GRADIENTS, Method.OCCLUSION);
    private static final int WARM_UP = Integer.getInteger("bench.warmUp", 2);
    private static final int REPEAT = Integer.getInteger("bench.repeat", 5);

    public static void main(String[] args) throws Exception {
        try (ExplanationEngine engine = new ExplanationEngine()) {
            for (String dir : args) {
                ModelPackage pkg = ModelPackage.open(Path.of(dir));
                LoadedModel model = engine.load(pkg).join();
                List<ModelInput> samples = samples(pkg);
                List<ModelInput> one = List.of(samples.get(0));
                System.out.printf("%s (%s), image %s%n", pkg.manifest().id(), pkg.manifest().input(), one.get(0).source());
                for (Method m : METHODS) {
                    ExplainRequest request = ExplainRequest.of(one, null, EnumSet.of(m), null);
                    double[] ms = new double[REPEAT];
                    for (int i = -WARM_UP; i < REPEAT; i++) {
                        long t0 = System.nanoTime();
                        engine.explain(model, request).join();
                        if (i >= 0) {
                            ms[i] = (System.nanoTime() - t0) / 1e6;
                        }
                    }
                    Arrays.sort(ms);
                    System.out.printf("  %-22s median %9.1f ms  (min %.1f, max %.1f, n %d)%n", m.id(), ms[REPEAT / 2],
                            ms[0], ms[REPEAT - 1], REPEAT);
                }
                completeness(engine, model, samples);
                engine.unload(model).join();
            }
        }
    }

    private static void completeness(ExplanationEngine engine, LoadedModel model, List<ModelInput> samples) {
        List<Explanation> out = engine.explain(model, ExplainRequest.of(samples, null,
                EnumSet.of(Method.INTEGRATED_GRADIENTS), null)).join();
        List<Double> gaps = new ArrayList<>();
        for (Explanation e : out) {
            MethodResult r = e.result(Method.INTEGRATED_GRADIENTS);
            double delta = ((Number) r.details().get("deltaLogit")).doubleValue();
            double gap = ((Number) r.details().get("completenessGap")).doubleValue();
            gaps.add(Math.abs(gap) / Math.abs(delta));
        }
        double[] g = gaps.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("  IG completeness |gap|/|deltaLogit| over %d images (mean baseline, 50 Gauss-Legendre): "
                + "median %.2f%%, max %.2f%%%n", g.length, 100 * g[g.length / 2], 100 * g[g.length - 1]);
    }

    /** The model's sample images, or one seeded noise image when it has none (the ResNet-50 export). */
    private static List<ModelInput> samples(ModelPackage pkg) throws Exception {
        Path dir = Path.of("assets/samples", pkg.manifest().id());
        Preprocessor pre = new Preprocessor(pkg.manifest().input(), pkg.manifest().preprocessing());
        List<ModelInput> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".png")).sorted().toList()) {
                    out.add(pre.apply(new ImageLoader().load(p), p.getFileName().toString()));
                }
            }
            return out;
        }
        int w = pkg.manifest().input().width();
        int h = pkg.manifest().input().height();
        RgbImage img = RgbImage.blank(w, h);
        float[] t = new float[pkg.manifest().input().size()];
        Random r = new Random(1);
        for (int j = 0; j < t.length; j++) {
            t[j] = (float) r.nextGaussian();
        }
        out.add(new ModelInput(pkg.manifest().input(), t, img, "noise"));
        return out;
    }
}
