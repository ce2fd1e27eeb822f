package io.saliencystudio.engine.metrics;

/**
 * A deletion or insertion curve: the class score after each step, {@code fractions[i]} of the pixels removed
 * (deletion) or revealed (insertion); {@code fractions[0] = 0}, last = 1.
 */
public record Curve(double[] fractions, double[] scores) {

    public Curve {
        if (fractions.length != scores.length || fractions.length < 2) {
            throw new IllegalArgumentException("a curve needs at least two points, one score per fraction");
        }
        fractions = fractions.clone();
        scores = scores.clone();
    }

    /** Area under the curve by the trapezoid rule over the fraction axis (RISE protocol), in [0, 1] for probabilities. */
    public double auc() {
        double area = 0;
        for (int i = 1; i < scores.length; i++) {
            area += (fractions[i] - fractions[i - 1]) * (scores[i] + scores[i - 1]) / 2;
        }
        return area;
    }
}
