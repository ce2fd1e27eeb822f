package io.saliencystudio.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * On three shapes samples with the default model, the summary's mean, standard deviation and median per method
 * equal the numbers worked out here from the per-image results of the single-image evaluation (explain the top
 * class at the default layer, then {@link FaithfulnessMetrics#evaluate} on each map, as the main window and
 * {@code evaluate} do).
 */
class FaithfulnessSummaryModelTest {

    private static final List<String> IMAGES = List.of("circle-01.png", "star-02.png", "triangle-03.png");

    @Test
    void theSummaryOfThreeSamplesEqualsTheirPerImageMetrics() throws Exception {
        LoadedModel model = TestModels.load("shapes");
        Preprocessor pre = new Preprocessor(model.manifest().input(), model.manifest().preprocessing());
        FaithfulnessSummary summary = new FaithfulnessSummary();
        double[][] deletion = new double[2][IMAGES.size()];
        double[][] drop = new double[2][IMAGES.size()];
        for (int i = 0; i < IMAGES.size(); i++) {
            Path file = TestModels.SAMPLES.resolve("shapes").resolve(IMAGES.get(i));
            ModelInput input = pre.apply(new ImageLoader().load(file), file.toString());
            Explanation e = TestModels.engine().explain(model,
                    ExplainRequest.of(List.of(input), null, Method.core(), null)).join().get(0);
            int k = 0;
            for (Method m : Method.core()) {
                Faithfulness f = TestModels.engine().withNetwork(model, 64, net -> FaithfulnessMetrics.evaluate(net,
                        input.tensor(), e.target().index(), e.result(m).map(), FaithfulnessSettings.RISE,
                        Progress.NONE)).join();
                summary.add(IMAGES.get(i), m, f, null);
                deletion[k][i] = f.deletion().auc();
                drop[k][i] = f.averageDrop();
                k++;
            }
        }
        int k = 0;
        for (Method m : Method.core()) {
            assertMatches(summary.spread(m, FaithfulnessMetric.DELETION_AUC), deletion[k], m + " deletion");
            assertMatches(summary.spread(m, FaithfulnessMetric.AVERAGE_DROP), drop[k], m + " average drop");
            k++;
        }
        assertThat(summary.images()).isEqualTo(3);
        assertThat(summary.failures()).isEmpty();
    }

    /** Three values: mean = sum / 3, sd = sqrt(sum of squared deviations / 2), median = the middle one. */
    private static void assertMatches(Spread s, double[] v, String what) {
        double mean = (v[0] + v[1] + v[2]) / 3;
        double sd = Math.sqrt(((v[0] - mean) * (v[0] - mean) + (v[1] - mean) * (v[1] - mean)
                + (v[2] - mean) * (v[2] - mean)) / 2);
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        assertThat(s.n()).as(what).isEqualTo(3);
        assertThat(s.mean()).as(what).isCloseTo(mean, within(1e-12));
        assertThat(s.sd()).as(what).isCloseTo(sd, within(1e-12));
        assertThat(s.median()).as(what).isEqualTo(sorted[1]);
        assertThat(s.min()).as(what).isEqualTo(sorted[0]);
        assertThat(s.max()).as(what).isEqualTo(sorted[2]);
    }
}
