package io.saliencystudio.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.io.Npy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The parity rule of every map comparison (docs/methods.md#the-parity-rule): 99.9% of values within 1e-4 and every
 * value within one display level (1/255) of the float32 reference, on one scale (1 for normalised maps, the
 * reference's range for raw ones). Where that fails, both sides are judged against a float64 evaluation of the
 * reference ({@code <name>.f64.npy} next to the fixture): the project may be no worse than twice the reference's own
 * float32 error, plus 1e-6 for the float32 rounding the stored float64 values carry.
 *
 * <p>Why a fallback at all: two float32 runs (eager PyTorch 1.13 and libtorch 2.7 on a folded, channels-last
 * export) round differently, and where a ReLU input lies within rounding of zero they take different gradient
 * branches; a saliency map then moves by ~1e-3 over one unit's receptive field. Neither side is wrong there; the
 * float64 evaluation says which is closer to the function both compute.
 *
 * @param maxDiff        max |actual - reference32| / scale
 * @param fractionWithin share of values with |actual - reference32| / scale at most 1e-4
 * @param projectError   max |actual - reference64| / scale, NaN where not judged in float64
 * @param referenceError max |reference32 - reference64| / scale, NaN where not judged in float64
 */
public record ParityRule(double maxDiff, double fractionWithin, double projectError, double referenceError) {

    public static final double CLOSE = 1e-4;
    public static final double LEVEL = 1.0 / 255;
    public static final double FRACTION = 0.999;
    static final double FLOAT64_FACTOR = 2;
    static final double FLOAT64_SLACK = 1e-6;
    /** Equal maps: where {@link #worst} over several images starts. */
    public static final ParityRule EXACT = new ParityRule(0, 1, Double.NaN, Double.NaN);

    /** Compares {@code actual[j] / scale} with {@code expected[offset + j] / scale} for j below {@code n}. */
    public static ParityRule measure(float[] actual, float[] expected, int offset, int n, double scale) {
        double max = 0;
        int within = 0;
        for (int j = 0; j < n; j++) {
            double d = Math.abs(actual[j] - expected[offset + j]) / scale;
            max = Math.max(max, d);
            if (d <= CLOSE) {
                within++;
            }
        }
        return new ParityRule(max, within / (double) n, Double.NaN, Double.NaN);
    }

    /** As {@link #measure}, then, where the float32 rule fails and a float64 evaluation is given, judged against it. */
    public static ParityRule measure(float[] actual, float[] expected, float[] expected64, int offset, int n,
            double scale) {
        ParityRule rule = measure(actual, expected, offset, n, scale);
        if (rule.holdsInFloat32() || expected64 == null) {
            return rule;
        }
        double project = 0;
        double reference = 0;
        for (int j = 0; j < n; j++) {
            double exact = expected64[offset + j];
            project = Math.max(project, Math.abs(actual[j] - exact) / scale);
            reference = Math.max(reference, Math.abs(expected[offset + j] - exact) / scale);
        }
        return new ParityRule(rule.maxDiff, rule.fractionWithin, project, reference);
    }

    /**
     * The float64 evaluation stored next to a float32 fixture ({@code maps.npy} -> {@code maps.f64.npy}, values
     * rounded to float32 when saved), or null where the fixture script wrote none.
     */
    public static float[] float64(Path fixture) throws IOException {
        String name = fixture.getFileName().toString();
        Path f64 = fixture.resolveSibling(name.substring(0, name.length() - ".npy".length()) + ".f64.npy");
        return Files.isRegularFile(f64) ? Npy.read(f64).data() : null;
    }

    /** Asserts the rule; the message says how it failed and, without a float64 fixture, that one would decide. */
    public static ParityRule check(String what, float[] actual, float[] expected, float[] expected64, int offset, int n,
            double scale) {
        ParityRule rule = measure(actual, expected, expected64, offset, n, scale);
        assertThat(rule.holds()).as("%s: %s%s", what, rule, expected64 == null && !rule.holdsInFloat32()
                ? " (no float64 fixture to judge by: the fixture script's --float64 writes one)" : "").isTrue();
        return rule;
    }

    public boolean holdsInFloat32() {
        return fractionWithin >= FRACTION && maxDiff <= LEVEL;
    }

    public boolean judgedInFloat64() {
        return !Double.isNaN(projectError);
    }

    public boolean holds() {
        return holdsInFloat32()
                || judgedInFloat64() && projectError <= FLOAT64_FACTOR * referenceError + FLOAT64_SLACK;
    }

    /**
     * The worse of two results (two images of one case): a failing one as it is, else the larger differences and the
     * smaller share within 1e-4, which holds whenever both hold.
     */
    public ParityRule worst(ParityRule other) {
        if (!holds() || !other.holds()) {
            return holds() ? other : this;
        }
        return new ParityRule(Math.max(maxDiff, other.maxDiff), Math.min(fractionWithin, other.fractionWithin),
                worse(projectError, other.projectError), worse(referenceError, other.referenceError));
    }

    private static double worse(double a, double b) {
        return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b);
    }

    @Override
    public String toString() {
        String f32 = String.format("max %.2g, %.2f%% within 1e-4", maxDiff, 100 * fractionWithin);
        return judgedInFloat64() ? f32 + String.format("; against float64: project %.2g, reference %.2g",
                projectError, referenceError) : f32;
    }
}
