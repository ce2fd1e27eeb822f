package io.saliencystudio.engine.sanity;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Spearman rank correlation: the Pearson correlation of the two arrays' ranks, tied values sharing their average rank
 * (as {@code scipy.stats.spearmanr}). Adebayo et al. use it to ask whether a map's ordering of pixels survives
 * randomising the model: it ignores any monotone rescaling, so normalisation choices cannot hide or fake a change.
 */
public final class Spearman {

    private Spearman() {}

    /** The rank correlation in [-1, 1]; NaN when either array is constant (no ranking to compare). */
    public static double of(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("arrays differ in length: " + a.length + " vs " + b.length);
        }
        if (a.length < 2) {
            return Double.NaN;
        }
        return pearson(ranks(a), ranks(b));
    }

    /** 1-based ranks; a run of equal values gets the mean of the ranks it spans. */
    static double[] ranks(float[] values) {
        Integer[] order = IntStream.range(0, values.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        double[] ranks = new double[values.length];
        int start = 0;
        while (start < order.length) {
            int end = start + 1;
            while (end < order.length && values[order[end]] == values[order[start]]) {
                end++;
            }
            // positions start..end-1 hold ranks start+1..end: their mean
            double rank = (start + 1 + end) / 2.0;
            for (int k = start; k < end; k++) {
                ranks[order[k]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    static double pearson(double[] x, double[] y) {
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    }
}
