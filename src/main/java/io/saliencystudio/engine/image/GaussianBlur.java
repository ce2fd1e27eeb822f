package io.saliencystudio.engine.image;

/**
 * A separable Gaussian blur of a CHW tensor (the insertion substrate of the metrics, the blurred IG baseline), each
 * channel on its own, edges clamped (the border pixel repeats) so the image's mean colour is kept at the borders
 * instead of fading to zero. The kernel is
 * truncated at {@code ceil(3 sigma)} and renormalised to sum 1. Blurring the normalised tensor equals normalising the
 * blurred pixels, because the per-channel normalisation is affine and the weights sum to 1.
 */
public final class GaussianBlur {

    private GaussianBlur() {}

    /** The 1-D kernel, length {@code 2 * ceil(3 sigma) + 1}, summing to 1. */
    public static double[] kernel(double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("blur sigma must be positive, got " + sigma);
        }
        return kernel(sigma, (int) Math.ceil(3 * sigma));
    }

    /**
     * The 1-D Gaussian of {@code 2 * radius + 1} taps, weights {@code exp(-i^2 / (2 sigma^2))} for
     * {@code i = -radius..radius}, normalised to sum 1 (the one kernel of the engine: blur, SSIM windows).
     */
    public static double[] kernel(double sigma, int radius) {
        if (!(sigma > 0) || radius < 0) {
            throw new IllegalArgumentException("need sigma > 0 and radius >= 0, got " + sigma + " and " + radius);
        }
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = -radius; i <= radius; i++) {
            k[i + radius] = Math.exp(-(double) i * i / (2 * sigma * sigma));
            sum += k[i + radius];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** Blurs rows, then columns, of every channel; returns a new array. */
    public static float[] blur(float[] chw, int channels, int height, int width, double sigma) {
        double[] k = kernel(sigma);
        int radius = k.length / 2;
        float[] out = new float[chw.length];
        double[] rows = new double[height * width];
        for (int c = 0; c < channels; c++) {
            int base = c * height * width;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double s = 0;
                    for (int j = -radius; j <= radius; j++) {
                        int xx = Math.min(width - 1, Math.max(0, x + j));
                        s += k[j + radius] * chw[base + y * width + xx];
                    }
                    rows[y * width + x] = s;
                }
            }
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double s = 0;
                    for (int j = -radius; j <= radius; j++) {
                        int yy = Math.min(height - 1, Math.max(0, y + j));
                        s += k[j + radius] * rows[yy * width + x];
                    }
                    out[base + y * width + x] = (float) s;
                }
            }
        }
        return out;
    }
}
