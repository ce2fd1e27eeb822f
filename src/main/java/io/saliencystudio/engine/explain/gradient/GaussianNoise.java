package io.saliencystudio.engine.explain.gradient;

import java.util.SplittableRandom;

/**
 * Standard normal numbers from a seed, by Marsaglia's polar method on {@link SplittableRandom}. Written out rather
 * than taken from the JDK's {@code nextGaussian}, whose algorithm a later JDK may change: a SmoothGrad map saved with
 * its seed must come out the same on every Java version.
 */
final class GaussianNoise {

    private final SplittableRandom random;
    private double spare;
    private boolean hasSpare;

    GaussianNoise(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The next N(0, 1) value. */
    double next() {
        if (hasSpare) {
            hasSpare = false;
            return spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.sqrt(-2 * Math.log(s) / s);
        spare = v * factor;
        hasSpare = true;
        return u * factor;
    }

    /** {@code n} values of N(0, sd^2). */
    float[] next(int n, double sd) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (sd * next());
        }
        return out;
    }
}
