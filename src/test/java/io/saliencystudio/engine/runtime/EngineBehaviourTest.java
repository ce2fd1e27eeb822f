package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Eval-mode invariance, class and weight sensitivity, on the embedded shapes model. */
class EngineBehaviourTest {

    private static final Path MODEL = Path.of(System.getProperty("behaviour.model", "models/shapes"));
    private static final Path FIXTURE = Path.of(System.getProperty("behaviour.fixture", "src/test/resources/parity/shapes"));
    private static final EnumSet<Method> BOTH = Method.core();

    private static LoadedModel model;
    private static List<ModelInput> inputs;

    @BeforeAll
    static void load() throws Exception {
        model = TestModels.load(MODEL);
        inputs = TestModels.inputs(Npy.read(FIXTURE.resolve("input.npy")), model.manifest().input());
        assertThat(inputs).hasSizeGreaterThanOrEqualTo(2);
    }

    private static List<Explanation> explain(List<ModelInput> in, Integer target, String layer) {
        return TestModels.engine().explain(model, ExplainRequest.of(in, target, BOTH, layer)).join();
    }

    @Test
    void batchOfNEqualsNSingleCallsAndRepeatsAreIdentical() {
        List<Explanation> batch = explain(inputs, null, null);
        for (int i = 0; i < inputs.size(); i++) {
            Explanation single = explain(List.of(inputs.get(i)), null, null).get(0);
            Explanation again = explain(List.of(inputs.get(i)), null, null).get(0);
            assertThat(maxDiff(single.prediction().logits(), batch.get(i).prediction().logits())).isLessThan(1e-4);
            assertThat(single.target().index()).isEqualTo(batch.get(i).target().index());
            for (Method m : BOTH) {
                assertThat(maxDiff(single.result(m).map().values(), batch.get(i).result(m).map().values()))
                        .as("%s batch 1 vs batch %d", m, inputs.size()).isLessThan(1e-4);
                assertThat(single.result(m).map().values()).as("%s repeated call", m)
                        .containsExactly(again.result(m).map().values());
            }
        }
    }

    @Test
    void explainingDoesNotDisturbBatchNormStatistics() {
        float[][] before = logits();
        explain(inputs, null, null);
        explain(inputs, 0, null);
        float[][] after = logits();
        for (int i = 0; i < before.length; i++) {
            assertThat(after[i]).containsExactly(before[i]);
        }
    }

    @Test
    void anotherClassGivesAnotherMap() {
        Explanation top = explain(List.of(inputs.get(0)), null, null).get(0);
        int other = top.prediction().top(2).get(1).index();
        Explanation second = explain(List.of(inputs.get(0)), other, null).get(0);
        assertThat(second.target().index()).isEqualTo(other);
        assertThat(maxDiff(top.result(Method.GRADCAM).map().values(), second.result(Method.GRADCAM).map().values()))
                .as("Grad-CAM for class %d vs %d", top.target().index(), other).isGreaterThan(0.1);
        assertThat(maxDiff(top.result(Method.SALIENCY).map().values(), second.result(Method.SALIENCY).map().values()))
                .isGreaterThan(0.1);
    }

    @Test
    void anotherLayerGivesAnotherResolutionAndMap() {
        String inner = model.manifest().taps().get(model.manifest().taps().size() / 2).displayName();
        Explanation deep = explain(List.of(inputs.get(0)), null, null).get(0);
        Explanation mid = explain(List.of(inputs.get(0)), null, inner).get(0);
        Heatmap deepLayer = deep.result(Method.GRADCAM).layerMap();
        Heatmap midLayer = mid.result(Method.GRADCAM).layerMap();
        assertThat(mid.result(Method.GRADCAM).layer()).isEqualTo(inner);
        assertThat(midLayer.width() * midLayer.height()).isGreaterThan(deepLayer.width() * deepLayer.height());
        assertThat(maxDiff(deep.result(Method.GRADCAM).map().values(), mid.result(Method.GRADCAM).map().values()))
                .isGreaterThan(0.05);
    }

    @Test
    void randomisedWeightsGiveAnotherMap() throws Exception {
        ExplanationEngine engine = TestModels.engine();
        LoadedModel copy = engine.load(ModelPackage.open(MODEL)).join();
        try {
            List<String> changed = engine.randomizeWeights(copy, 7, name -> true).join();
            assertThat(changed).isNotEmpty();
            Explanation original = explain(List.of(inputs.get(0)), 0, null).get(0);
            Explanation random = engine.explain(copy, ExplainRequest.of(List.of(inputs.get(0)), 0, BOTH, null)).join().get(0);
            assertThat(maxDiff(original.prediction().logits(), random.prediction().logits())).isGreaterThan(1e-2);
            for (Method m : BOTH) {
                assertThat(maxDiff(original.result(m).map().values(), random.result(m).map().values()))
                        .as("%s after randomising every weight", m).isGreaterThan(0.1);
            }
        } finally {
            engine.unload(copy).join();
        }
    }

    static double maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    private static float[][] logits() {
        return TestModels.engine().predict(model, inputs).join().stream().map(p -> p.logits()).toArray(float[][]::new);
    }
}
