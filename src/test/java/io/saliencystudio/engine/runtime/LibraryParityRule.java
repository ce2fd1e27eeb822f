package io.saliencystudio.engine.runtime;

/**
 * The parity rule of the project (notes/methods.md, issue 15 section 4) applied to two maps on one scale: 99.9% of
 * values within 1e-4 and every value within one display level (1/255). The float64 fallback (judge both sides
 * against a float64 evaluation) is not automated here; a case that needs it fails and says so.
 */
record LibraryParityRule(double maxDiff, double fractionWithin) {

    static final double CLOSE = 1e-4;
    static final double LEVEL = 1.0 / 255;
    static final double FRACTION = 0.999;

    /** Compares {@code actual[j] / scale} with {@code expected[offset + j] / scale} for j below {@code n}. */
    static LibraryParityRule measure(float[] actual, float[] expected, int offset, int n, double scale) {
        double max = 0;
        int within = 0;
        for (int j = 0; j < n; j++) {
            double d = Math.abs(actual[j] - expected[offset + j]) / scale;
            max = Math.max(max, d);
            if (d <= CLOSE) {
                within++;
            }
        }
        return new LibraryParityRule(max, within / (double) n);
    }

    boolean holds() {
        return fractionWithin >= FRACTION && maxDiff <= LEVEL;
    }

    LibraryParityRule worst(LibraryParityRule other) {
        return new LibraryParityRule(Math.max(maxDiff, other.maxDiff), Math.min(fractionWithin, other.fractionWithin));
    }

    @Override
    public String toString() {
        return String.format("max %.2g, %.2f%% within 1e-4", maxDiff, 100 * fractionWithin);
    }
}
