package io.saliencystudio.engine.sanity;

import io.saliencystudio.engine.image.GaussianBlur;

/**
 * Mean structural similarity (Wang et al. 2004) of two maps with values in [0, 1], as the paper defines it and
 * scikit-image computes it with {@code gaussian_weights=True}: local means, variances and covariance under an
 * 11 x 11 Gaussian window (sigma 1.5, truncated at 3.5 sigma), population (not sample) covariances,
 * {@code C1 = (0.01 L)^2}, {@code C2 = (0.03 L)^2} with data range {@code L = 1}, averaged over the pixels whose
 * window lies inside the map (skimage crops the 5-pixel border the same way). Chosen over skimage's default 7 x 7
 * uniform window because it is the paper's definition and does not depend on a sample-covariance correction.
 * Maps smaller than the window use the largest odd window that fits (same sigma), a case skimage refuses.
 */
public final class Ssim {

    static final double SIGMA = 1.5;
    static final int RADIUS = 5; // int(3.5 * 1.5 + 0.5), scipy's truncation
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;

    private Ssim() {}

    /** Mean SSIM of two row-major {@code width x height} maps in [0, 1]; 1 means identical. */
    public static double of(float[] a, float[] b, int width, int height) {
        if (a.length != width * height || b.length != width * height) {
            throw new IllegalArgumentException("maps must hold " + width * height + " values, got " + a.length
                    + " and " + b.length);
        }
        int radius = Math.min(RADIUS, (Math.min(width, height) - 1) / 2);
        double[] kernel = kernel(radius);
        // Separable filtering of x, y, x^2, y^2, xy: rows first, then columns, on the valid region only.
        int vw = width - 2 * radius;
        int vh = height - 2 * radius;
        double[][] rows = new double[5][vw * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < vw; x++) {
                double sa = 0;
                double sb = 0;
                double saa = 0;
                double sbb = 0;
                double sab = 0;
                for (int k = 0; k <= 2 * radius; k++) {
                    int i = y * width + x + k;
                    double w = kernel[k];
                    double va = a[i];
                    double vb = b[i];
                    sa += w * va;
                    sb += w * vb;
                    saa += w * va * va;
                    sbb += w * vb * vb;
                    sab += w * va * vb;
                }
                int o = y * vw + x;
                rows[0][o] = sa;
                rows[1][o] = sb;
                rows[2][o] = saa;
                rows[3][o] = sbb;
                rows[4][o] = sab;
            }
        }
        double sum = 0;
        for (int y = 0; y < vh; y++) {
            for (int x = 0; x < vw; x++) {
                double[] m = new double[5];
                for (int k = 0; k <= 2 * radius; k++) {
                    int i = (y + k) * vw + x;
                    for (int s = 0; s < 5; s++) {
                        m[s] += kernel[k] * rows[s][i];
                    }
                }
                double mu1 = m[0];
                double mu2 = m[1];
                double var1 = m[2] - mu1 * mu1;
                double var2 = m[3] - mu2 * mu2;
                double cov = m[4] - mu1 * mu2;
                sum += ((2 * mu1 * mu2 + C1) * (2 * cov + C2)) / ((mu1 * mu1 + mu2 * mu2 + C1) * (var1 + var2 + C2));
            }
        }
        return sum / ((double) vw * vh);
    }

    /** The normalised 1-D Gaussian window of {@code 2 * radius + 1} taps at {@link #SIGMA}. */
    static double[] kernel(int radius) {
        return GaussianBlur.kernel(SIGMA, radius);
    }
}
