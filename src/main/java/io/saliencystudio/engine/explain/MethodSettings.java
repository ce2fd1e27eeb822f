package io.saliencystudio.engine.explain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The knobs of the methods that have any. Every value used is recorded next to the map (explanation.json, figure
 * metadata) through {@link #describe(Method)}, because these are exactly the choices that make tools disagree.
 *
 * @param batchSize how many images one forward/backward of a multi-pass method carries (memory vs speed)
 * @param upsampling how layer methods' maps are brought to the input's resolution
 */
public record MethodSettings(SmoothGrad smoothGrad, IntegratedGradients integratedGradients, Occlusion occlusion,
        int batchSize, Upsampling upsampling, double gradCamPlusPlusEpsilon, ScoreCamWeights scoreCamWeights) {

    /** pytorch-grad-cam's Grad-CAM++ denominator epsilon, for users who compare with its figures. */
    public static final double PYTORCH_GRAD_CAM_EPSILON = 1e-6;

    public static final MethodSettings DEFAULTS = new MethodSettings(SmoothGrad.DEFAULTS,
            IntegratedGradients.DEFAULTS, Occlusion.DEFAULTS, 16, Upsampling.RECEPTIVE_FIELD, 0, ScoreCamWeights.PROBABILITY);

    public MethodSettings {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        upsampling = upsampling == null ? Upsampling.RECEPTIVE_FIELD : upsampling;
        scoreCamWeights = scoreCamWeights == null ? ScoreCamWeights.PROBABILITY : scoreCamWeights;
        if (!(gradCamPlusPlusEpsilon >= 0) || Double.isInfinite(gradCamPlusPlusEpsilon)) {
            throw new IllegalArgumentException("Grad-CAM++ epsilon must be finite and >= 0, got " + gradCamPlusPlusEpsilon);
        }
    }

    /** Settings without a Grad-CAM++ epsilon (the project's default: zero denominators handled explicitly). */
    public MethodSettings(SmoothGrad smoothGrad, IntegratedGradients integratedGradients, Occlusion occlusion,
            int batchSize, Upsampling upsampling) {
        this(smoothGrad, integratedGradients, occlusion, batchSize, upsampling, 0);
    }

    /** Settings with the paper's Score-CAM weights. */
    public MethodSettings(SmoothGrad smoothGrad, IntegratedGradients integratedGradients, Occlusion occlusion,
            int batchSize, Upsampling upsampling, double gradCamPlusPlusEpsilon) {
        this(smoothGrad, integratedGradients, occlusion, batchSize, upsampling, gradCamPlusPlusEpsilon,
                ScoreCamWeights.PROBABILITY);
    }

    /** How Score-CAM weighs its channels. */
    public enum ScoreCamWeights {
        /** The paper and the authors' code: each masked input's softmax probability of the class. */
        PROBABILITY,
        /**
         * pytorch-grad-cam: the masked inputs' target logits softmaxed across channels, masks upsampled with
         * {@code align_corners=True} and normalised with {@code + 1e-8} (constant channels give an all-zero mask
         * that still takes part).
         */
        CHANNEL_SOFTMAX;

        public String id() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** Settings with the default upsampling (cells at their receptive-field centres). */
    public MethodSettings(SmoothGrad smoothGrad, IntegratedGradients integratedGradients, Occlusion occlusion,
            int batchSize) {
        this(smoothGrad, integratedGradients, occlusion, batchSize, Upsampling.RECEPTIVE_FIELD);
    }

    /**
     * SmoothGrad (Smilkov et al. 2017).
     *
     * @param sigma noise standard deviation as a fraction of the input range actually fed to the model
     *     (max - min of the normalised tensor), 0.15 in the paper
     * @param samples noisy copies averaged
     * @param seed seeds the noise, so a map can be reproduced
     * @param squared average the squared gradients (SmoothGrad-Squared) instead of the gradients
     */
    public record SmoothGrad(double sigma, int samples, long seed, boolean squared) {
        public static final SmoothGrad DEFAULTS = new SmoothGrad(0.15, 25, 0L, false);

        public SmoothGrad {
            if (!(sigma >= 0) || samples < 1) {
                throw new IllegalArgumentException("SmoothGrad needs sigma >= 0 and at least one sample");
            }
        }
    }

    /** Integrated Gradients baselines. */
    public enum Baseline {
        /** Zero in normalised space: the dataset's mean colour (a mean grey), the usual "zero" baseline. */
        MEAN,
        /** Black in pixel space (0 before normalisation). */
        BLACK,
        /** The image itself blurred (Gaussian, sigma = 1/10 of the shorter side). */
        BLURRED
    }

    /** How the path integral is approximated. */
    public enum Quadrature {
        RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE, RIEMANN_TRAPEZOID, GAUSS_LEGENDRE
    }

    /**
     * Integrated Gradients (Sundararajan et al. 2017).
     *
     * @param steps points on the path from the baseline to the input
     */
    public record IntegratedGradients(Baseline baseline, int steps, Quadrature quadrature) {
        public static final IntegratedGradients DEFAULTS =
                new IntegratedGradients(Baseline.MEAN, 50, Quadrature.GAUSS_LEGENDRE);

        public IntegratedGradients {
            if (steps < 1) {
                throw new IllegalArgumentException("Integrated Gradients needs at least one step");
            }
        }
    }

    /** What covers an occluded window. */
    public enum Fill {
        /** Zero in normalised space: the dataset's mean colour. */
        MEAN,
        /** Black in pixel space. */
        BLACK
    }

    /**
     * Occlusion (Zeiler and Fergus 2014): a square window slides over the input; each pixel's attribution is the mean
     * drop of the class logit over the windows that cover it.
     *
     * @param window side of the square window in input pixels; 0 = one eighth of the shorter side
     * @param stride step between windows; 0 = half the window
     */
    public record Occlusion(int window, int stride, Fill fill) {
        public static final Occlusion DEFAULTS = new Occlusion(0, 0, Fill.MEAN);

        public Occlusion {
            if (window < 0 || stride < 0) {
                throw new IllegalArgumentException("occlusion window and stride must not be negative");
            }
        }

        /** The window for an input of this size. */
        public int windowFor(int width, int height) {
            return window > 0 ? window : Math.max(1, Math.min(width, height) / 8);
        }

        /** The stride for an input of this size. */
        public int strideFor(int width, int height) {
            return stride > 0 ? stride : Math.max(1, windowFor(width, height) / 2);
        }
    }

    public MethodSettings withSmoothGrad(SmoothGrad s) {
        return new MethodSettings(s, integratedGradients, occlusion, batchSize, upsampling, gradCamPlusPlusEpsilon, scoreCamWeights);
    }

    public MethodSettings withIntegratedGradients(IntegratedGradients ig) {
        return new MethodSettings(smoothGrad, ig, occlusion, batchSize, upsampling, gradCamPlusPlusEpsilon, scoreCamWeights);
    }

    public MethodSettings withOcclusion(Occlusion o) {
        return new MethodSettings(smoothGrad, integratedGradients, o, batchSize, upsampling, gradCamPlusPlusEpsilon, scoreCamWeights);
    }

    public MethodSettings withBatchSize(int n) {
        return new MethodSettings(smoothGrad, integratedGradients, occlusion, n, upsampling, gradCamPlusPlusEpsilon, scoreCamWeights);
    }

    public MethodSettings withUpsampling(Upsampling u) {
        return new MethodSettings(smoothGrad, integratedGradients, occlusion, batchSize, u, gradCamPlusPlusEpsilon, scoreCamWeights);
    }

    /**
     * Settings whose Grad-CAM++ adds {@code eps} to its denominator, as pytorch-grad-cam does with 1e-6
     * ({@link #PYTORCH_GRAD_CAM_EPSILON}); 0 is the project's default.
     */
    public MethodSettings withGradCamPlusPlusEpsilon(double eps) {
        return new MethodSettings(smoothGrad, integratedGradients, occlusion, batchSize, upsampling, eps, scoreCamWeights);
    }

    /** Settings whose Score-CAM weighs channels as {@code w} says ({@link ScoreCamWeights#CHANNEL_SOFTMAX}: pytorch-grad-cam). */
    public MethodSettings withScoreCamWeights(ScoreCamWeights w) {
        return new MethodSettings(smoothGrad, integratedGradients, occlusion, batchSize, upsampling, gradCamPlusPlusEpsilon, w);
    }

    /** The settings that apply to one method, by name, in a stable order (for metadata); empty if none. */
    public Map<String, Object> describe(Method method) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (method) {
            case SMOOTHGRAD -> {
                out.put("sigma", smoothGrad.sigma());
                out.put("samples", smoothGrad.samples());
                out.put("seed", smoothGrad.seed());
                out.put("squared", smoothGrad.squared());
            }
            case INTEGRATED_GRADIENTS -> {
                out.put("baseline", integratedGradients.baseline().name().toLowerCase());
                out.put("steps", integratedGradients.steps());
                out.put("quadrature", integratedGradients.quadrature().name().toLowerCase());
            }
            case OCCLUSION -> {
                out.put("window", occlusion.window());
                out.put("stride", occlusion.stride());
                out.put("fill", occlusion.fill().name().toLowerCase());
            }
            case GRADCAM_PLUS_PLUS -> out.put("epsilon", gradCamPlusPlusEpsilon);
            case SCORECAM -> out.put("weights", scoreCamWeights.id());
            default -> { }
        }
        if (method.needsLayer()) {
            out.put("upsampling", upsampling.id());
        }
        return out;
    }
}
