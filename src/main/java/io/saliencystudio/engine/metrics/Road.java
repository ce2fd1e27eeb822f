package io.saliencystudio.engine.metrics;

/**
 * ROAD (Remove And Debias, Rong et al. 2022) for one map: the class score after the most relevant pixels (MoRF) or
 * the least relevant ones (LeRF) are removed and filled in by {@link LinearImputation}, at each removal fraction.
 *
 * @param fractions the removal fractions, ascending (default 0.1, 0.2, ..., 0.9)
 * @param morf score with the most relevant fraction removed: falls fast for a faithful map (lower mean = better)
 * @param lerf score with the least relevant fraction removed: stays high for a faithful map (higher mean = better)
 * @param original the score of the unmodified input
 */
public record Road(double[] fractions, double[] morf, double[] lerf, double original) {

    public Road {
        if (fractions.length == 0 || morf.length != fractions.length || lerf.length != fractions.length) {
            throw new IllegalArgumentException("one MoRF and one LeRF score per fraction");
        }
        fractions = fractions.clone();
        morf = morf.clone();
        lerf = lerf.clone();
    }

    public double morfMean() {
        return mean(morf);
    }

    public double lerfMean() {
        return mean(lerf);
    }

    /**
     * {@code (mean LeRF - mean MoRF) / 2}, as pytorch-grad-cam's {@code ROADCombined} (which averages score changes,
     * the same number): higher = more faithful.
     */
    public double combined() {
        return (lerfMean() - morfMean()) / 2;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
