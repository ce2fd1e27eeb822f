package io.saliencystudio.engine.explain.gradient;

import io.saliencystudio.engine.explain.MethodSettings.Quadrature;

/**
 * Points {@code alpha_i} on the straight path from the baseline (0) to the input (1) and the weights {@code w_i} of
 * the gradients taken there, so that {@code integral_0^1 g(alpha) d alpha ~ sum_i w_i g(alpha_i)}. The rules are
 * Captum's ({@code captum.attr._utils.approximation_methods}), so the same setting means the same numbers in both.
 *
 * @param alphas path positions in [0, 1], ascending
 * @param weights one weight per position; they sum to 1
 */
record PathQuadrature(double[] alphas, double[] weights) {

    /** The rule {@code quadrature} with {@code n} gradient evaluations. */
    static PathQuadrature of(Quadrature quadrature, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Integrated Gradients needs at least one step");
        }
        double[] alphas = new double[n];
        double[] weights = new double[n];
        switch (quadrature) {
            case RIEMANN_LEFT, RIEMANN_RIGHT, RIEMANN_MIDDLE -> {
                // Captum: linspace(0, 1 - 1/n, n), linspace(1/n, 1, n), linspace(1/(2n), 1 - 1/(2n), n).
                double shift = quadrature == Quadrature.RIEMANN_LEFT ? 0 : quadrature == Quadrature.RIEMANN_RIGHT ? 1 : 0.5;
                for (int i = 0; i < n; i++) {
                    alphas[i] = (i + shift) / n;
                    weights[i] = 1.0 / n;
                }
            }
            case RIEMANN_TRAPEZOID -> {
                if (n < 2) {
                    throw new IllegalArgumentException("the trapezoid rule needs at least 2 steps: ask for more steps "
                            + "or another quadrature");
                }
                for (int i = 0; i < n; i++) {
                    alphas[i] = (double) i / (n - 1);
                    weights[i] = (i == 0 || i == n - 1 ? 0.5 : 1.0) / (n - 1);
                }
            }
            case GAUSS_LEGENDRE -> {
                double[][] rule = gaussLegendre(n);
                for (int i = 0; i < n; i++) {
                    alphas[i] = 0.5 * (rule[0][i] + 1);
                    weights[i] = 0.5 * rule[1][i];
                }
            }
            default -> throw new IllegalArgumentException("unknown quadrature " + quadrature);
        }
        return new PathQuadrature(alphas, weights);
    }

    /** Number of gradient evaluations. */
    int size() {
        return alphas.length;
    }

    /**
     * Gauss-Legendre nodes and weights on [-1, 1], ascending like numpy's {@code leggauss(n)}: {nodes, weights}.
     * Each node is the root of P_n found by Newton's method from the Chebyshev-like guess
     * {@code cos(pi (i - 1/4) / (n + 1/2))}, which lies close enough that the iteration converges to that root; the
     * weight is {@code 2 / ((1 - x^2) P_n'(x)^2)}.
     */
    static double[][] gaussLegendre(int n) {
        double[] nodes = new double[n];
        double[] weights = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double derivative = 0;
            for (int iteration = 0; iteration < 100; iteration++) {
                double[] p = legendre(n, x);
                derivative = p[1];
                double dx = p[0] / derivative;
                x -= dx;
                if (Math.abs(dx) < 1e-16) {
                    break;
                }
            }
            derivative = legendre(n, x)[1];
            double w = 2 / ((1 - x * x) * derivative * derivative);
            // The rule is symmetric: fill both ends (the guesses run from the largest root down).
            nodes[n - 1 - i] = x;
            nodes[i] = -x;
            weights[n - 1 - i] = w;
            weights[i] = w;
        }
        if (n % 2 == 1) {
            nodes[n / 2] = 0; // exactly, rather than a Newton residue of order 1e-17
        }
        return new double[][] {nodes, weights};
    }

    /** {P_n(x), P_n'(x)} by the three-term recurrence. */
    private static double[] legendre(int n, double x) {
        double previous = 1;
        double current = x;
        if (n == 0) {
            return new double[] {1, 0};
        }
        for (int k = 2; k <= n; k++) {
            double next = ((2 * k - 1) * x * current - (k - 1) * previous) / k;
            previous = current;
            current = next;
        }
        double derivative = n * (x * current - previous) / (x * x - 1);
        return new double[] {current, derivative};
    }
}
