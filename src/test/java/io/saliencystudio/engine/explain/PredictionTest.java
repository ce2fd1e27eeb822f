package io.saliencystudio.engine.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionTest {

    private static final String[] NAMES = {"cat", "dog", "fox", "owl", "eel"};

    private static Prediction of(float... logits) {
        return Prediction.fromLogits(logits, i -> NAMES[i]);
    }

    @Test
    void softmaxMatchesHandComputation() {
        Prediction p = of(1f, 2f, 3f);

        // e^1, e^2, e^3 over their sum = 30.19287485...: 0.09003057, 0.24472847, 0.66524096
        assertThat(p.probabilities()).containsExactly(new double[] {0.0900305732, 0.2447284711, 0.6652409558}, within(1e-9));
        assertThat(p.numClasses()).isEqualTo(3);
    }

    @Test
    void softmaxOfEqualLogitsIsUniform() {
        assertThat(of(0f, 0f, 0f, 0f).probabilities()).containsExactly(0.25, 0.25, 0.25, 0.25);
    }

    @Test
    void softmaxIsStableForLargeLogits() {
        // exp(1000) overflows a double; subtracting the max keeps e^0 and e^-1
        Prediction p = of(1000f, 999f);

        double e = Math.exp(-1);
        assertThat(p.probabilities()).containsExactly(new double[] {1 / (1 + e), e / (1 + e)}, within(1e-12));
        assertThat(p.probabilities()[0]).isCloseTo(0.7310585786, within(1e-9));
    }

    @Test
    void topKOrdersByLogitAndBreaksTiesByLowerIndex() {
        Prediction p = of(2f, 5f, 5f, 1f, 5f);

        List<ClassScore> top = p.top(4);

        assertThat(top).extracting(ClassScore::index).containsExactly(1, 2, 4, 0);
        assertThat(top).extracting(ClassScore::label).containsExactly("dog", "fox", "eel", "cat");
        assertThat(top).extracting(ClassScore::logit).containsExactly(5f, 5f, 5f, 2f);
        assertThat(p.top1()).isEqualTo(1);
    }

    @Test
    void topKIsCappedAtTheNumberOfClasses() {
        Prediction p = of(0.5f, -1f, 3f);

        assertThat(p.top(10)).extracting(ClassScore::index).containsExactly(2, 0, 1);
        assertThat(p.top(1)).extracting(ClassScore::index).containsExactly(2);
        assertThat(p.top(0)).isEmpty();
    }

    @Test
    void top1IsTheHighestLogit() {
        assertThat(of(-3f, -1f, -2f).top1()).isEqualTo(1);
        assertThat(of(4f, 4f).top1()).isEqualTo(0);
    }

    @Test
    void scoreCarriesIndexLabelLogitAndProbability() {
        Prediction p = of(1f, 2f, 3f);

        ClassScore s = p.score(2);

        assertThat(s.index()).isEqualTo(2);
        assertThat(s.label()).isEqualTo("fox");
        assertThat(s.logit()).isEqualTo(3f);
        assertThat(s.probability()).isCloseTo(0.6652409558, within(1e-9));
        assertThat(p.top(1).get(0)).isEqualTo(s);
    }
}
