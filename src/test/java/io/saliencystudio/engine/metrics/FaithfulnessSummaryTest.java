package io.saliencystudio.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.Method;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The aggregation over images against numbers worked out by hand: mean, sample standard deviation, median,
 * quartiles (linear interpolation) and range per method and metric; failures listed, never fatal.
 */
class FaithfulnessSummaryTest {

    private static final double EXACT = 1e-12;

    /** A result whose deletion and insertion AUCs are exactly {@code deletion} and {@code insertion} (flat curves). */
    static Faithfulness result(double deletion, double insertion, double drop, boolean increase) {
        double[] fractions = {0, 1};
        return new Faithfulness(new Curve(fractions, new double[] {deletion, deletion}),
                new Curve(fractions, new double[] {insertion, insertion}), 0.9, 0.5, drop, increase);
    }

    @Test
    void meanSdMedianAndQuartilesEqualTheHandComputedNumbers() {
        FaithfulnessSummary s = new FaithfulnessSummary();
        s.add("a.png", Method.SALIENCY, result(0.1, 0.9, 0.0, true), null);
        s.add("b.png", Method.SALIENCY, result(0.2, 0.5, 0.3, false), null);
        s.add("c.png", Method.SALIENCY, result(0.4, 0.6, 0.6, false), null);
        s.add("d.png", Method.SALIENCY, result(0.7, 0.8, 0.3, true), null);

        // deletion 0.1 0.2 0.4 0.7: mean 0.35; deviations -0.25 -0.15 0.05 0.35, squares sum 0.21, sd sqrt(0.21/3)
        Spread d = s.spread(Method.SALIENCY, FaithfulnessMetric.DELETION_AUC);
        assertThat(d.n()).isEqualTo(4);
        assertThat(d.mean()).isCloseTo(0.35, within(EXACT));
        assertThat(d.sd()).isCloseTo(Math.sqrt(0.07), within(EXACT));
        assertThat(d.median()).isCloseTo(0.3, within(EXACT));
        assertThat(d.q1()).isCloseTo(0.175, within(EXACT)); // position 0.75 between 0.1 and 0.2
        assertThat(d.q3()).isCloseTo(0.475, within(EXACT)); // position 2.25 between 0.4 and 0.7
        assertThat(d.iqr()).isCloseTo(0.3, within(EXACT));
        assertThat(d.min()).isEqualTo(0.1);
        assertThat(d.max()).isEqualTo(0.7);

        // insertion 0.9 0.5 0.6 0.8: mean 0.7, deviations +-0.1 +-0.2, squares sum 0.1
        Spread i = s.spread(Method.SALIENCY, FaithfulnessMetric.INSERTION_AUC);
        assertThat(i.mean()).isCloseTo(0.7, within(EXACT));
        assertThat(i.sd()).isCloseTo(Math.sqrt(0.1 / 3), within(EXACT));
        assertThat(i.median()).isCloseTo(0.7, within(EXACT));

        // average drop 0 0.3 0.6 0.3: mean 0.3, sd sqrt(0.18/3), median 0.3
        Spread a = s.spread(Method.SALIENCY, FaithfulnessMetric.AVERAGE_DROP);
        assertThat(a.mean()).isCloseTo(0.3, within(EXACT));
        assertThat(a.sd()).isCloseTo(Math.sqrt(0.06), within(EXACT));
        assertThat(a.median()).isCloseTo(0.3, within(EXACT));

        // increase in confidence counts 1 for an increase: two of four
        assertThat(s.spread(Method.SALIENCY, FaithfulnessMetric.INCREASE).mean()).isCloseTo(0.5, within(EXACT));
        assertThat(s.images()).isEqualTo(4);
    }

    @Test
    void oddCountMedianOneImageHasNoSdAndRoadOnlyWhereComputed() {
        FaithfulnessSummary s = new FaithfulnessSummary();
        s.add("a.png", Method.GRADCAM, result(0.3, 0.5, 0.1, false),
                new Road(new double[] {0.5}, new double[] {0.2}, new double[] {0.8}, 0.9));
        s.add("b.png", Method.GRADCAM, result(0.1, 0.5, 0.1, false),
                new Road(new double[] {0.5}, new double[] {0.4}, new double[] {0.6}, 0.9));
        s.add("c.png", Method.GRADCAM, result(0.2, 0.5, 0.1, false),
                new Road(new double[] {0.5}, new double[] {0.3}, new double[] {0.7}, 0.9));
        s.add("a.png", Method.SALIENCY, result(0.25, 0.5, 0.1, false), null);

        Spread d = s.spread(Method.GRADCAM, FaithfulnessMetric.DELETION_AUC);
        assertThat(d.median()).isCloseTo(0.2, within(EXACT));
        assertThat(d.sd()).isCloseTo(0.1, within(EXACT)); // deviations 0.1 -0.1 0: sqrt(0.02 / 2)
        assertThat(s.spread(Method.GRADCAM, FaithfulnessMetric.ROAD).mean()).isCloseTo(0.2, within(EXACT));
        assertThat(s.spread(Method.GRADCAM, FaithfulnessMetric.ROAD_MORF).mean()).isCloseTo(0.3, within(EXACT));

        Spread one = s.spread(Method.SALIENCY, FaithfulnessMetric.DELETION_AUC);
        assertThat(one.n()).isEqualTo(1);
        assertThat(one.mean()).isEqualTo(0.25);
        assertThat(one.median()).isEqualTo(0.25);
        assertThat(one.sd()).isNaN();
        assertThat(s.spread(Method.SALIENCY, FaithfulnessMetric.ROAD)).isEqualTo(Spread.EMPTY);
        assertThat(s.lines()).extracting(FaithfulnessSummary.Line::method).containsOnly(Method.SALIENCY, Method.GRADCAM);
        assertThat(s.lines()).filteredOn(l -> l.method() == Method.SALIENCY).hasSize(4); // no ROAD lines
        assertThat(s.images()).isEqualTo(3);
    }

    @Test
    void failuresAreListedWithTheirReasonAndWrittenToTheCsv() {
        FaithfulnessSummary s = new FaithfulnessSummary();
        s.add("a.png", Method.SALIENCY, result(0.1, 0.9, 0.0, true), null);
        s.add("b.png", Method.SALIENCY, result(0.3, 0.7, 0.2, false), null);
        s.fail("broken.png", null, "not an image, or damaged");
        assertThat(s.failures()).containsExactly(
                new FaithfulnessSummary.Failure("broken.png", null, "not an image, or damaged"));
        List<String> lines = s.csv().lines().toList();
        assertThat(lines.get(0)).isEqualTo(FaithfulnessSummary.CSV_HEADER);
        assertThat(lines).contains("saliency,deletion_auc,lower,2,0.200000,0.141421,0.200000,0.150000,0.250000,"
                + "0.100000,0.300000,");
        assertThat(lines.get(lines.size() - 1)).isEqualTo(",failed,,0,,,,,,,,\"broken.png: not an image, or damaged\"");
    }

    @Test
    void nanValuesAreLeftOutAndNoValuesGiveEmpty() {
        assertThat(Spread.of(new double[0])).isEqualTo(Spread.EMPTY);
        Spread s = Spread.of(new double[] {Double.NaN, 2, 4});
        assertThat(s.n()).isEqualTo(2);
        assertThat(s.mean()).isEqualTo(3);
        assertThat(s.sd()).isCloseTo(Math.sqrt(2), within(EXACT));
    }
}
