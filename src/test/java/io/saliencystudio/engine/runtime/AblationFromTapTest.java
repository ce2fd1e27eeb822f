package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explainer;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.GradientPass;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ablation-CAM at a cut tap runs only the layers after the tap ({@code forward_from}) and gives the maps the whole
 * network with probes gives; inside a residual block (no cut) it keeps the probe route. On the export tool's tiny CNN
 * (folded, channels-last: src/test/python/make_layout_model.py).
 */
class AblationFromTapTest {

    private static final Path PACKAGE = Path.of("src/test/resources/layout-model/package");
    private static final Path INPUT = Path.of("src/test/resources/layout-model/fixtures/input.npy");

    @Test
    void cutTapsAreReadFromTheManifestAndOnlyThoseCanStartTheNetwork() {
        LoadedModel model = TestModels.load(PACKAGE);
        LayerTap stage = ExplanationEngine.tapFor(model, "stage");
        LayerTap inner = ExplanationEngine.tapFor(model, "stage.0.conv1");
        assertThat(stage.cut()).isTrue();
        assertThat(inner.cut()).isFalse();
        assertThat(model.canStartAt(stage)).isTrue();
        assertThat(model.canStartAt(inner)).isFalse();
    }

    @Test
    void fromTheTapOnEqualsTheWholeNetworkWithProbes() throws Exception {
        LoadedModel model = TestModels.load(PACKAGE);
        for (String layer : List.of("stage", "stage.0", "head")) {
            LayerTap tap = ExplanationEngine.tapFor(model, layer);
            assertThat(tap.cut()).as(layer).isTrue();
            List<MethodResult> both = TestModels.engine().withNetwork(model, 4, network -> List.of(
                    ablation(network, model, tap, layer), ablation(probesOnly(network), model, tap, layer))).join();
            MethodResult fromTap = both.get(0);
            MethodResult probed = both.get(1);
            assertThat(fromTap.details().get("route")).isEqualTo("from the tap on (forward_from)");
            assertThat(probed.details().get("route")).isEqualTo("whole network with a probe");
            float[] a = fromTap.layerMap().raw();
            float[] b = probed.layerMap().raw();
            float scale = Math.max(1e-6f, Math.abs(probed.layerMap().rawMax()));
            for (int i = 0; i < a.length; i++) {
                assertThat((double) Math.abs(a[i] - b[i]) / scale).as("%s cell %d", layer, i).isLessThan(1e-5);
            }
            assertThat(probed.layerMap().isBlank()).as(layer + " map is not blank").isFalse();
        }
    }

    @Test
    void randomisedWeightsReachTheTailToo() throws Exception {
        // The sanity check randomises the network's parameters in place; forward_from's segments share them, so
        // Ablation-CAM from the tap on must still equal the probe route on the randomised copy.
        LoadedModel copy = TestModels.engine().load(io.saliencystudio.engine.model.ModelPackage.open(PACKAGE)).join();
        try {
            LoadedModel original = TestModels.load(PACKAGE);
            LayerTap tap = ExplanationEngine.tapFor(copy, "stage");
            assertThat(TestModels.engine().parameterNames(copy).join()).allMatch(n -> !n.startsWith("tail."))
                    .containsExactlyInAnyOrderElementsOf(TestModels.engine().parameterNames(original).join());
            List<String> changed = TestModels.engine().randomizeWeights(copy, 42, n -> n.contains("head")).join();
            assertThat(changed).isNotEmpty().allMatch(n -> n.contains("head") && !n.startsWith("tail."));
            List<MethodResult> both = TestModels.engine().withNetwork(copy, 4, network -> List.of(
                    ablation(network, copy, tap, "stage"), ablation(probesOnly(network), copy, tap, "stage"))).join();
            MethodResult before = TestModels.engine().withNetwork(original, 4,
                    network -> ablation(network, original, tap, "stage")).join();
            float[] a = both.get(0).layerMap().raw();
            float[] b = both.get(1).layerMap().raw();
            float scale = Math.max(1e-6f, Math.abs(both.get(1).layerMap().rawMax()));
            for (int i = 0; i < a.length; i++) {
                assertThat((double) Math.abs(a[i] - b[i]) / scale).as("cell %d", i).isLessThan(1e-5);
            }
            assertThat(a).as("randomising head changed the map").isNotEqualTo(before.layerMap().raw());
        } finally {
            TestModels.engine().unload(copy).join();
        }
    }

    @Test
    void insideAResidualBlockTheProbeRouteStays() {
        LoadedModel model = TestModels.load(PACKAGE);
        LayerTap inner = ExplanationEngine.tapFor(model, "stage.0.conv1");
        MethodResult r = TestModels.engine().withNetwork(model, 4, n -> ablation(n, model, inner, "stage.0.conv1")).join();
        assertThat(r.details().get("route")).isEqualTo("whole network with a probe");
    }

    @Test
    void aChannelsLastSwinStageStartsTheNetworkWithTheSameMapsAsProbes() {
        // The (C, H, W) activation with a channel zeroed goes back to (N, H, W, C) before forward_from runs on it.
        Path swin = Path.of("src/test/resources/transformer-models/tiny-swin");
        Path input = swin.resolve("fixtures/input.npy");
        LoadedModel model = TestModels.load(swin);
        LayerTap tap = ExplanationEngine.tapFor(model, "features.2");
        assertThat(tap.layout().kind()).isEqualTo(io.saliencystudio.engine.model.TapLayout.Kind.NHWC);
        assertThat(model.canStartAt(tap)).isTrue();
        List<MethodResult> both = TestModels.engine().withNetwork(model, 4, network -> List.of(
                ablation(network, model, tap, "features.2", input),
                ablation(probesOnly(network), model, tap, "features.2", input))).join();
        assertThat(both.get(0).details().get("route")).isEqualTo("from the tap on (forward_from)");
        float[] a = both.get(0).layerMap().raw();
        float[] b = both.get(1).layerMap().raw();
        float scale = Math.max(1e-6f, Math.abs(both.get(1).layerMap().rawMax()));
        for (int i = 0; i < a.length; i++) {
            assertThat((double) Math.abs(a[i] - b[i]) / scale).as("cell %d", i).isLessThan(1e-5);
        }
        assertThat(both.get(1).layerMap().isBlank()).isFalse();
    }

    private static MethodResult ablation(Network network, LoadedModel model, LayerTap tap, String layer) {
        return ablation(network, model, tap, layer, INPUT);
    }

    private static MethodResult ablation(Network network, LoadedModel model, LayerTap tap, String layer, Path input) {
        InputSpec spec = model.manifest().input();
        List<ModelInput> inputs;
        try {
            inputs = TestModels.inputs(Npy.read(input), spec).subList(0, 1);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        ExplainRequest request = ExplainRequest.of(inputs, null, EnumSet.of(Method.ABLATIONCAM), layer);
        List<Explanation> out = Explainer.explain(network, request, tap, layer, i -> "c" + i, Progress.NONE);
        return out.get(0).result(Method.ABLATIONCAM);
    }

    /** The same network, but never started at a tap: Ablation-CAM must take the probe route. */
    private static Network probesOnly(Network n) {
        return new Network() {
            @Override
            public InputSpec input() {
                return n.input();
            }

            @Override
            public io.saliencystudio.engine.model.Preprocessing preprocessing() {
                return n.preprocessing();
            }

            @Override
            public int numClasses() {
                return n.numClasses();
            }

            @Override
            public int batchSize() {
                return n.batchSize();
            }

            @Override
            public float[][] logits(List<float[]> inputs) {
                return n.logits(inputs);
            }

            @Override
            public GradientPass gradients(List<float[]> inputs, int[] targets, LayerTap tap, boolean inputGradient) {
                return n.gradients(inputs, targets, tap, inputGradient);
            }

            @Override
            public float[][] logitsWithProbes(float[] input, LayerTap tap, List<float[]> probes) {
                return n.logitsWithProbes(input, tap, probes);
            }
        };
    }
}
