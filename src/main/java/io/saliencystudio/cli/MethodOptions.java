package io.saliencystudio.cli;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/**
 * The knobs of the methods that have any ({@link MethodSettings}), shared by {@code explain}, {@code evaluate} and
 * {@code bench}; an option left out keeps the engine's default, so the defaults live in one place.
 */
final class MethodOptions {

    @Option(names = "--sg-sigma", paramLabel = "S", description = "SmoothGrad noise as a fraction of the input range (default 0.15).")
    Double sgSigma;

    @Option(names = "--sg-samples", paramLabel = "N", description = "SmoothGrad noisy copies (default 25).")
    Integer sgSamples;

    @Option(names = "--sg-seed", paramLabel = "SEED", description = "SmoothGrad noise seed (default 0).")
    Long sgSeed;

    @Option(names = "--sg-squared", description = "SmoothGrad-Squared: average squared gradients.")
    boolean sgSquared;

    @Option(names = "--ig-baseline", paramLabel = "mean|black|blurred", description = "Integrated Gradients baseline (default mean: zero in normalised space).")
    String igBaseline;

    @Option(names = "--ig-steps", paramLabel = "N", description = "Integrated Gradients path points (default 50).")
    Integer igSteps;

    @Option(names = "--ig-quadrature", paramLabel = "RULE", description = "riemann-left, riemann-right, riemann-middle, riemann-trapezoid or gauss-legendre (default).")
    String igQuadrature;

    @Option(names = "--occlusion-window", paramLabel = "PX", description = "Occlusion window side (default: 1/8 of the shorter side).")
    Integer occlusionWindow;

    @Option(names = "--occlusion-stride", paramLabel = "PX", description = "Occlusion stride (default: half the window).")
    Integer occlusionStride;

    @Option(names = "--occlusion-fill", paramLabel = "mean|black", description = "What covers an occluded window (default mean).")
    String occlusionFill;

    @Option(names = "--batch-size", paramLabel = "N", description = "Inputs per forward/backward inside multi-pass methods and metrics (default 16).")
    Integer batchSize;

    @Option(names = "--upsample", paramLabel = "receptive-field|bilinear", description = "How layer maps reach the "
            + "input's size: each cell at its receptive-field centre (default, where the model records it) or "
            + "bilinear corner to corner (align_corners=False, as pytorch-grad-cam, torch-cam and Captum).")
    String upsample;

    @Option(names = "--gradcampp-eps", paramLabel = "EPS", description = "Added to Grad-CAM++'s denominator (default 0: "
            + "zero denominators handled explicitly); 1e-6 reproduces pytorch-grad-cam.")
    Double gradCamPlusPlusEps;

    @Option(names = "--scorecam-weights", paramLabel = "probability|channel-softmax", description = "Score-CAM channel "
            + "weights: each masked input's class probability (default, the paper) or the masked logits softmaxed across "
            + "channels (channel-softmax, as pytorch-grad-cam).")
    String scoreCamWeights;

    @Option(names = "--progress", description = "Report progress on stderr (default: only when stderr is a terminal).")
    boolean progress;

    /** The settings the options ask for, on top of the engine's defaults. */
    MethodSettings settings() {
        MethodSettings d = MethodSettings.DEFAULTS;
        MethodSettings.SmoothGrad sg = d.smoothGrad();
        MethodSettings.IntegratedGradients ig = d.integratedGradients();
        MethodSettings.Occlusion oc = d.occlusion();
        try {
            sg = new MethodSettings.SmoothGrad(sgSigma != null ? sgSigma : sg.sigma(),
                    sgSamples != null ? sgSamples : sg.samples(), sgSeed != null ? sgSeed : sg.seed(),
                    sgSquared || sg.squared());
            ig = new MethodSettings.IntegratedGradients(
                    igBaseline != null ? choice(MethodSettings.Baseline.class, igBaseline, "--ig-baseline") : ig.baseline(),
                    igSteps != null ? igSteps : ig.steps(),
                    igQuadrature != null ? choice(MethodSettings.Quadrature.class, igQuadrature, "--ig-quadrature")
                            : ig.quadrature());
            oc = new MethodSettings.Occlusion(occlusionWindow != null ? occlusionWindow : oc.window(),
                    occlusionStride != null ? occlusionStride : oc.stride(),
                    occlusionFill != null ? choice(MethodSettings.Fill.class, occlusionFill, "--occlusion-fill") : oc.fill());
            return new MethodSettings(sg, ig, oc, batchSize != null ? batchSize : d.batchSize(),
                    upsample != null ? choice(io.saliencystudio.engine.explain.Upsampling.class, upsample, "--upsample")
                            : d.upsampling(),
                    gradCamPlusPlusEps != null ? gradCamPlusPlusEps : d.gradCamPlusPlusEpsilon(),
                    scoreCamWeights != null ? choice(MethodSettings.ScoreCamWeights.class, scoreCamWeights, "--scorecam-weights")
                            : d.scoreCamWeights());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("--") ? e.getMessage()
                    : "invalid method option: " + e.getMessage());
        }
    }

    /** Progress lines on {@code err} when asked or when stderr is a terminal; otherwise none. */
    Progress progress(PrintWriter err) {
        return progress || System.console() != null ? new ConsoleProgress(err) : Progress.NONE;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String text, String option) {
        String key = text.strip().replace('-', '_').toUpperCase(Locale.ROOT);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(key)) {
                return e;
            }
        }
        throw new IllegalArgumentException(option + " must be one of " + Arrays.stream(type.getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT).replace('_', '-')).collect(Collectors.joining(", "))
                + ", got '" + text + "'");
    }

    /**
     * Method ids as given on the command line: each value may hold several, comma-separated; {@code all} means every
     * method. Empty when none was given.
     */
    static Set<Method> parse(List<String> values) {
        Set<Method> out = EnumSet.noneOf(Method.class);
        for (String value : values) {
            for (String id : value.split(",")) {
                if (id.isBlank()) {
                    continue;
                }
                if (id.strip().equalsIgnoreCase("all")) {
                    out.addAll(EnumSet.allOf(Method.class));
                } else {
                    out.add(Method.fromId(id));
                }
            }
        }
        return out;
    }

    /** Whether the user typed {@code all} (then layer methods are dropped quietly on a model without taps). */
    static boolean asksForAll(List<String> values) {
        return values.stream().flatMap(v -> Arrays.stream(v.split(","))).anyMatch(id -> id.strip().equalsIgnoreCase("all"));
    }

    /**
     * Checks that a model without layer taps is not asked for a layer method; with {@code all}, drops them with a
     * note on {@code err} instead.
     */
    static Set<Method> forModel(Set<Method> chosen, boolean all, boolean hasTaps, String modelId, PrintWriter err) {
        return forModel(chosen, all, hasTaps, false, modelId, err);
    }

    /**
     * {@link #forModel(Set, boolean, boolean, String, PrintWriter)} that also checks attention methods (rollout):
     * refused on a model without attention maps, or dropped with a note when the user typed {@code all}.
     */
    static Set<Method> forModel(Set<Method> chosen, boolean all, boolean hasTaps, boolean hasAttention, String modelId,
            PrintWriter err) {
        Set<Method> attention = chosen.stream().filter(Method::needsAttention).collect(Collectors.toCollection(
                () -> EnumSet.noneOf(Method.class)));
        if (!hasAttention && !attention.isEmpty()) {
            String names = attention.stream().map(Method::id).collect(Collectors.joining(", "));
            if (!all) {
                throw new IllegalArgumentException("Model '" + modelId + "' exposes no attention maps, so " + names
                        + " " + (attention.size() == 1 ? "is" : "are") + " not available: attention rollout needs a "
                        + "vision transformer exported with them (models/tools/export.py writes \"attention\" in the "
                        + "manifest of torchvision ViTs); use a layer or pixel method instead");
            }
            err.println("note: model '" + modelId + "' exposes no attention maps; skipping " + names);
            chosen = EnumSet.copyOf(chosen);
            chosen.removeAll(attention);
        }
        return forLayers(chosen, all, hasTaps, modelId, err);
    }

    private static Set<Method> forLayers(Set<Method> chosen, boolean all, boolean hasTaps, String modelId,
            PrintWriter err) {
        if (hasTaps) {
            return chosen;
        }
        Set<Method> layer = chosen.stream().filter(Method::needsLayer).collect(Collectors.toCollection(
                () -> EnumSet.noneOf(Method.class)));
        if (layer.isEmpty()) {
            return chosen;
        }
        String names = layer.stream().map(Method::id).collect(Collectors.joining(", "));
        if (all) {
            Set<Method> pixel = EnumSet.copyOf(chosen);
            pixel.removeAll(layer);
            err.println("note: model '" + modelId + "' has no layer taps; skipping " + names);
            return pixel;
        }
        String otherPixelMethods = Arrays.stream(Method.values()).filter(m -> !m.gridMap() && m != Method.SALIENCY)
                .map(Method::id).collect(Collectors.joining(", "));
        throw new IllegalArgumentException("Model '" + modelId + "' has no layer taps, so " + names + " "
                + (layer.size() == 1 ? "is" : "are") + " not available: run with --method saliency (or another pixel "
                + "method: " + otherPixelMethods + "), or re-export the model with models/tools/export.py to add taps");
    }
}
