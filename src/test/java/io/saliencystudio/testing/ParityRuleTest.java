package io.saliencystudio.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.io.Npy;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parity rule's arithmetic: the float32 criterion, the float64 fallback, and how two images combine. */
class ParityRuleTest {

    private static final int N = 10_000;

    /** A map of N values 0, 1/N, ...; {@code count} values from index 100 on moved by {@code by}. */
    private static float[] map(int count, double by) {
        float[] v = new float[N];
        for (int j = 0; j < N; j++) {
            v[j] = j / (float) N;
        }
        for (int j = 100; j < 100 + count; j++) {
            v[j] += (float) by;
        }
        return v;
    }

    @Test
    void identicalMapsHoldInFloat32() {
        ParityRule rule = ParityRule.measure(map(0, 0), map(0, 0), 0, N, 1);
        assertThat(rule.holdsInFloat32()).isTrue();
        assertThat(rule.maxDiff()).isZero();
        assertThat(rule.fractionWithin()).isEqualTo(1.0);
        assertThat(rule.judgedInFloat64()).isFalse();
    }

    @Test
    void aFewValuesWithinOneDisplayLevelAreTolerated() {
        ParityRule nine = ParityRule.measure(map(9, 3e-3), map(0, 0), 0, N, 1);   // 0.09% of values, 3e-3 < 1/255
        ParityRule eleven = ParityRule.measure(map(11, 3e-3), map(0, 0), 0, N, 1); // 0.11%
        ParityRule level = ParityRule.measure(map(1, 5e-3), map(0, 0), 0, N, 1);   // one value beyond 1/255
        assertThat(nine.holds()).isTrue();
        assertThat(nine.fractionWithin()).isCloseTo(0.9991, within(1e-9));
        assertThat(eleven.holds()).as("more than 0.1%% beyond 1e-4").isFalse();
        assertThat(level.holds()).as("one value beyond a display level").isFalse();
    }

    @Test
    void theScaleDividesTheDifferences() {
        ParityRule raw = ParityRule.measure(map(50, 0.01), map(0, 0), 0, N, 1000);
        assertThat(raw.maxDiff()).isCloseTo(1e-5, within(1e-9));
        assertThat(raw.holdsInFloat32()).isTrue();
    }

    @Test
    void float64DecidesWhereTheReferenceIsTheOneOff() {
        float[] project = map(0, 0);
        float[] reference = map(50, 1e-3); // the float32 reference took other branches at 50 values
        float[] exact = map(0, 0);
        ParityRule rule = ParityRule.measure(project, reference, exact, 0, N, 1);
        assertThat(rule.holdsInFloat32()).isFalse();
        assertThat(rule.judgedInFloat64()).isTrue();
        assertThat(rule.projectError()).isZero();
        assertThat(rule.referenceError()).isCloseTo(1e-3, within(1e-7));
        assertThat(rule.holds()).isTrue();
        assertThat(rule.toString()).contains("against float64: project 0.0, reference 0.0010");
    }

    @Test
    void float64RejectsAProjectMoreThanTwiceAsFarOff() {
        float[] reference = map(50, 1e-3);
        float[] exact = map(0, 0);
        ParityRule twice = ParityRule.measure(map(50, 2e-3), reference, exact, 0, N, 1);
        ParityRule thrice = ParityRule.measure(map(50, -3e-3), reference, exact, 0, N, 1);
        assertThat(twice.holds()).as("2x the reference's own error (+ float32 slack)").isTrue();
        assertThat(thrice.holds()).isFalse();
        assertThat(thrice.projectError()).isCloseTo(3e-3, within(1e-7));
    }

    @Test
    void withoutAFloat64FixtureAFailureSaysWhatWouldDecide() {
        float[] project = map(50, 1e-3);
        assertThatThrownBy(() -> ParityRule.check("saliency of image 0", project, map(0, 0), null, 0, N, 1))
                .hasMessageContaining("saliency of image 0: max 0.0010, 99.50% within 1e-4")
                .hasMessageContaining("no float64 fixture");
    }

    @Test
    void theWorstOfTwoImagesKeepsAFailureAndCombinesHoldingOnes() {
        ParityRule passes = ParityRule.measure(map(0, 0), map(0, 0), 0, N, 1);
        ParityRule byFloat64 = ParityRule.measure(map(0, 0), map(50, 1e-3), map(0, 0), 0, N, 1);
        ParityRule fails = ParityRule.measure(map(50, 1e-3), map(0, 0), 0, N, 1);
        assertThat(passes.worst(fails)).isEqualTo(fails);
        assertThat(fails.worst(byFloat64)).isEqualTo(fails);
        ParityRule both = passes.worst(byFloat64);
        assertThat(both.holds()).isTrue();
        assertThat(both.maxDiff()).isCloseTo(1e-3, within(1e-7));
    }

    @Test
    void theFloat64FixtureIsTheSiblingNamedDotF64(@TempDir Path dir) throws Exception {
        Path fixture = dir.resolve("saliency_0.npy");
        Npy.write(fixture, new float[] {1, 2}, 2);
        assertThat(ParityRule.float64(fixture)).isNull();
        Npy.write(dir.resolve("saliency_0.f64.npy"), new float[] {1.5f, 2.5f}, 2);
        assertThat(Arrays.equals(ParityRule.float64(fixture), new float[] {1.5f, 2.5f})).isTrue();
    }
}
