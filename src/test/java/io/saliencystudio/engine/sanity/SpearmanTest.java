package io.saliencystudio.engine.sanity;

import static io.saliencystudio.engine.sanity.MetricFixtures.ramp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Against scipy.stats.spearmanr (values from src/test/python/sanity_metrics_reference.py). */
class SpearmanTest {

    @Test
    void matchesScipyOnArraysWithManyTies() {
        float[] a = ramp(500, 37, 11, 101, 100.0);
        float[] b = ramp(500, 53, 7, 97, 96.0);
        assertThat(Spearman.of(a, b)).isCloseTo(0.046742041648892, within(1e-12));
    }

    @Test
    void monotoneTransformsGiveOneOrMinusOne() {
        float[] a = ramp(500, 37, 11, 101, 100.0);
        float[] squared = new float[a.length];
        float[] negated = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            squared[i] = a[i] * a[i];
            negated[i] = -a[i];
        }
        assertThat(Spearman.of(a, squared)).isCloseTo(1.0, within(1e-12));
        assertThat(Spearman.of(a, negated)).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void tiesShareTheirAverageRank() {
        float[] c = {1, 2, 2, 3, 5, 5, 5, 0};
        float[] d = {2, 1, 4, 3, 3, 6, 0, 1};
        assertThat(Spearman.ranks(c)).containsExactly(2, 3.5, 3.5, 5, 7, 7, 7, 1);
        assertThat(Spearman.of(c, d)).isCloseTo(0.267127123815354, within(1e-12));
    }

    @Test
    void aConstantArrayHasNoRankCorrelation() {
        assertThat(Spearman.of(new float[] {1, 1, 1}, new float[] {1, 2, 3})).isNaN();
    }
}
