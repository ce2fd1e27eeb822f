package io.saliencystudio.engine.metrics;

import java.util.Arrays;

/**
 * How one metric spreads over a set of images: count, mean, sample standard deviation, median, quartiles and range.
 * A mean alone hides whether every image scored alike or a few outliers pulled it; the spread says which.
 *
 * @param n images counted (NaN values are left out: a metric that could not be computed is not a zero)
 * @param sd sample standard deviation (divides by {@code n - 1}, as numpy's {@code std(ddof=1)}); NaN for one image
 * @param q1 first quartile, linear interpolation between order statistics (numpy's default, R type 7)
 * @param q3 third quartile, likewise
 */
public record Spread(int n, double mean, double sd, double median, double q1, double q3, double min, double max) {

    /** No values: every figure NaN. */
    public static final Spread EMPTY = new Spread(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN, Double.NaN);

    /** The spread of {@code values}, NaN values left out; the array is not changed. */
    public static Spread of(double[] values) {
        double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
        int n = v.length;
        if (n == 0) {
            return EMPTY;
        }
        double sum = 0;
        for (double x : v) {
            sum += x;
        }
        double mean = sum / n;
        double sd = Double.NaN;
        if (n > 1) {
            // Two passes: the squared deviations from the mean, not sum(x^2) - n mean^2, which cancels badly.
            double squares = 0;
            for (double x : v) {
                squares += (x - mean) * (x - mean);
            }
            sd = Math.sqrt(squares / (n - 1));
        }
        return new Spread(n, mean, sd, quantile(v, 0.5), quantile(v, 0.25), quantile(v, 0.75), v[0], v[n - 1]);
    }

    /** Interquartile range, {@code q3 - q1}. */
    public double iqr() {
        return q3 - q1;
    }

    /** The {@code p} quantile of sorted values, interpolated linearly between the two nearest order statistics. */
    static double quantile(double[] sorted, double p) {
        double position = p * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
