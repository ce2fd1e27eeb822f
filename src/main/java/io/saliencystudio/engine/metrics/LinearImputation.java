package io.saliencystudio.engine.metrics;

import java.util.Random;

/**
 * Noisy linear imputation (Rong et al. 2022, ROAD): every removed pixel becomes the weighted mean of its eight
 * neighbours (weight 1/6 for the four direct ones, 1/12 for the diagonals, renormalised over the neighbours inside the
 * image), where neighbours that are removed too are unknowns of the same linear system; then Gaussian noise of a fixed
 * absolute size is added to the imputed values. Unlike a constant or blurred substrate, the filled-in region carries
 * no shape of the removed pixels (the "class information leakage" that biases deletion curves), so the model cannot
 * read the mask itself.
 *
 * <p>The system is symmetric and diagonally dominant; it is solved per channel by conjugate gradients with a Jacobi
 * preconditioner, in double, to a relative residual of 1e-10 (pytorch-grad-cam and the authors' code call a sparse
 * direct solver; the solutions agree to float32 rounding). Values are in whatever space the input is given in (the
 * normalised model input here, as in pytorch-grad-cam).
 */
public final class LinearImputation {

    private static final int[][] OFFSETS = {{1, 1}, {0, 1}, {-1, 1}, {1, -1}, {0, -1}, {-1, -1}, {1, 0}, {-1, 0}};
    private static final double[] WEIGHTS = {1 / 12.0, 1 / 6.0, 1 / 12.0, 1 / 12.0, 1 / 6.0, 1 / 12.0, 1 / 6.0, 1 / 6.0};

    private LinearImputation() {}

    /**
     * @param chw the image, channels first ({@code channels * height * width} values); not modified
     * @param removed one flag per pixel ({@code height * width}): the pixels to impute
     * @param noise standard deviation of the Gaussian noise added to imputed values (0 = none)
     * @return a copy of the image with the removed pixels imputed
     */
    public static float[] impute(float[] chw, int channels, int height, int width, boolean[] removed, double noise,
            Random random) {
        int pixels = height * width;
        int[] unknown = new int[pixels];
        int n = 0;
        int[] index = new int[pixels];
        for (int p = 0; p < pixels; p++) {
            index[p] = removed[p] ? n : -1;
            if (removed[p]) {
                unknown[n++] = p;
            }
        }
        float[] out = chw.clone();
        if (n == 0) {
            return out;
        }
        if (n == pixels) {
            // Nothing is left to impute from (a percentile threshold on a map with many tied values can remove every
            // pixel; pytorch-grad-cam's sparse solver then returns NaN): any constant solves the system, and 0 in
            // normalised space, the data set's mean colour, is the one that carries no information.
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (noise > 0 ? noise * random.nextGaussian() : 0);
            }
            return out;
        }
        // Row i: diag[i] x_i - sum_{unknown j} w_ij x_j = sum_{known j} w_ij v_j (diag = weights inside the image).
        int[] neighbours = new int[n * 8];
        double[] diag = new double[n];
        for (int i = 0; i < n; i++) {
            int y = unknown[i] / width;
            int x = unknown[i] % width;
            for (int k = 0; k < 8; k++) {
                int yy = y + OFFSETS[k][0];
                int xx = x + OFFSETS[k][1];
                boolean inside = yy >= 0 && xx >= 0 && yy < height && xx < width;
                neighbours[i * 8 + k] = inside ? yy * width + xx : -1;
                diag[i] += inside ? WEIGHTS[k] : 0;
            }
        }
        double[] b = new double[n];
        double[] solution = new double[n];
        for (int c = 0; c < channels; c++) {
            int base = c * pixels;
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int k = 0; k < 8; k++) {
                    int q = neighbours[i * 8 + k];
                    if (q >= 0 && index[q] < 0) {
                        s += WEIGHTS[k] * chw[base + q];
                    }
                }
                b[i] = s;
            }
            solve(neighbours, index, diag, b, solution);
            for (int i = 0; i < n; i++) {
                double v = solution[i] + (noise > 0 ? noise * random.nextGaussian() : 0);
                out[base + unknown[i]] = (float) v;
            }
        }
        return out;
    }

    /** y = M x for the system matrix M (diag minus the unknown neighbours' weights). */
    private static void multiply(int[] neighbours, int[] index, double[] diag, double[] x, double[] y) {
        for (int i = 0; i < diag.length; i++) {
            double s = diag[i] * x[i];
            for (int k = 0; k < 8; k++) {
                int q = neighbours[i * 8 + k];
                if (q >= 0 && index[q] >= 0) {
                    s -= WEIGHTS[k] * x[index[q]];
                }
            }
            y[i] = s;
        }
    }

    /** Preconditioned conjugate gradients from x = 0 (M is symmetric positive definite: every region touches data). */
    private static void solve(int[] neighbours, int[] index, double[] diag, double[] b, double[] x) {
        int n = b.length;
        double[] r = b.clone();
        double[] z = new double[n];
        double[] p = new double[n];
        double[] q = new double[n];
        java.util.Arrays.fill(x, 0);
        double bNorm = Math.sqrt(dot(b, b));
        if (bNorm == 0) {
            return;
        }
        for (int i = 0; i < n; i++) {
            z[i] = r[i] / diag[i];
            p[i] = z[i];
        }
        double rz = dot(r, z);
        for (int iteration = 0; iteration < 10 * n + 100; iteration++) {
            multiply(neighbours, index, diag, p, q);
            double alpha = rz / dot(p, q);
            for (int i = 0; i < n; i++) {
                x[i] += alpha * p[i];
                r[i] -= alpha * q[i];
            }
            if (Math.sqrt(dot(r, r)) <= 1e-10 * bNorm) {
                return;
            }
            for (int i = 0; i < n; i++) {
                z[i] = r[i] / diag[i];
            }
            double next = dot(r, z);
            double beta = next / rz;
            rz = next;
            for (int i = 0; i < n; i++) {
                p[i] = z[i] + beta * p[i];
            }
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
