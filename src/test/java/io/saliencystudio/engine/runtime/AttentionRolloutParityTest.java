package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.testing.ParityRule;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Attention rollout and gradient rollout computed in DJL through the export's {@code forward_attention} equal the
 * eager reference (src/test/python/reference_attention.py: torch's own nn.MultiheadAttention weights and the gradient
 * of its softmax output, rollout arithmetic in float64) on the tiny torchvision ViT, by the parity rule at the 4x4
 * patch grid (16 values: every one within 1e-4). Fixtures from src/test/python/make_transformer_models.py.
 */
@Tag("parity")
class AttentionRolloutParityTest {

    private static final Path VIT = Path.of("src/test/resources/transformer-models/tiny-vit");
    private static final Path SWIN = Path.of("src/test/resources/transformer-models/tiny-swin");

    private static JsonNode fixtures() throws Exception {
        return new ObjectMapper().readTree(VIT.resolve("fixtures/fixtures.json").toFile());
    }

    private static List<ModelInput> input(LoadedModel model, JsonNode fx) throws Exception {
        return TestModels.inputs(Npy.read(VIT.resolve("fixtures").resolve(fx.get("input").asText())),
                model.manifest().input());
    }

    @Test
    void rolloutAndGradientRolloutMatchTheEagerReference() throws Exception {
        JsonNode fx = fixtures();
        LoadedModel model = TestModels.load(VIT);
        assertThat(model.hasAttention()).isTrue();
        assertThat(model.manifest().attention().describe()).isEqualTo("2 layers x 2 heads, 17 tokens -> 4x4 + 1");
        Explanation e = TestModels.engine().explain(model, ExplainRequest.of(input(model, fx),
                fx.get("classIndex").asInt(), Set.of(Method.ROLLOUT, Method.GRAD_ROLLOUT), null)).join().get(0);
        for (Method m : List.of(Method.ROLLOUT, Method.GRAD_ROLLOUT)) {
            JsonNode ref = fx.get("attention").get(m.id());
            MethodResult r = e.result(m);
            Heatmap grid = r.layerMap();
            assertThat(new int[] {grid.height(), grid.width()}).as(m.id()).containsExactly(4, 4);
            assertThat(new int[] {r.map().height(), r.map().width()}).as(m.id()).containsExactly(32, 32);
            Npy.Array expected = Npy.read(VIT.resolve("fixtures").resolve(ref.get("file").asText()));
            assertThat(expected.data()).hasSize(16);
            ParityRule rule = ParityRule.check(m.id(), grid.values(), expected.data(), null, 0, 16, 1);
            System.out.printf("attention parity tiny-vit %s: %s (raw %.6g..%.6g, reference %.6g..%.6g)%n",
                    m.id(), rule, grid.rawMin(), grid.rawMax(), ref.get("rawMin").asDouble(),
                    ref.get("rawMax").asDouble());
            assertThat((double) grid.rawMin()).as(m.id()).isCloseTo(ref.get("rawMin").asDouble(), within(1e-5));
            assertThat((double) grid.rawMax()).as(m.id()).isCloseTo(ref.get("rawMax").asDouble(), within(1e-5));
            assertThat(r.layer()).isNull();
            assertThat(r.details().get("upsampling")).asString().startsWith("bilinear");
        }
    }

    @Test
    void rolloutIsClassIndependentAndGradientRolloutIsNot() throws Exception {
        JsonNode fx = fixtures();
        LoadedModel model = TestModels.load(VIT);
        int c = fx.get("classIndex").asInt();
        Set<Method> both = Set.of(Method.ROLLOUT, Method.GRAD_ROLLOUT);
        Explanation a = TestModels.engine().explain(model, ExplainRequest.of(input(model, fx), c, both, null)).join()
                .get(0);
        Explanation b = TestModels.engine().explain(model, ExplainRequest.of(input(model, fx), (c + 1) % 5, both,
                null)).join().get(0);
        assertThat(b.result(Method.ROLLOUT).layerMap().raw()).containsExactly(a.result(Method.ROLLOUT).layerMap().raw());
        assertThat(b.result(Method.GRAD_ROLLOUT).layerMap().raw())
                .isNotEqualTo(a.result(Method.GRAD_ROLLOUT).layerMap().raw());
    }

    @Test
    void randomisingTheNetworkReachesTheAttentionRoute() throws Exception {
        // forward_attention shares the ViT's parameters (DJL lists them twice, as attention.*); the sanity check
        // randomises the network's own names, which must change the rollout too.
        JsonNode fx = fixtures();
        LoadedModel copy = TestModels.engine().load(ModelPackage.open(VIT)).join();
        try {
            assertThat(TestModels.engine().parameterNames(copy).join()).isNotEmpty()
                    .noneMatch(n -> n.startsWith("attention."));
            ExplainRequest request = ExplainRequest.of(input(copy, fx), fx.get("classIndex").asInt(),
                    Set.of(Method.ROLLOUT), null);
            float[] before = TestModels.engine().explain(copy, request).join().get(0).result(Method.ROLLOUT)
                    .layerMap().raw();
            List<String> changed = TestModels.engine().randomizeWeights(copy, 3,
                    n -> n.contains("encoder_layer_1.self_attention")).join();
            assertThat(changed).isNotEmpty();
            float[] after = TestModels.engine().explain(copy, request).join().get(0).result(Method.ROLLOUT)
                    .layerMap().raw();
            assertThat(after).isNotEqualTo(before);
        } finally {
            TestModels.engine().unload(copy).join();
        }
    }

    @Test
    void anOlderPackageWithoutAttentionFieldsRefusesTheMethods(@TempDir Path tmp) throws Exception {
        // The same model file, with the manifest an export made before attention maps were: no "attention".
        Path old = tmp.resolve("old-vit");
        Files.createDirectories(old);
        for (String f : List.of("model.pt", "synset.txt")) {
            Files.copy(VIT.resolve(f), old.resolve(f));
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode manifest = (ObjectNode) json.readTree(VIT.resolve("manifest.json").toFile());
        manifest.remove("attention");
        json.writeValue(old.resolve("manifest.json").toFile(), manifest);
        JsonNode fx = fixtures();
        LoadedModel model = TestModels.engine().load(ModelPackage.open(old)).join();
        try {
            assertThat(model.hasAttention()).isFalse();
            assertThat(model.hasTaps()).isTrue();
            assertThat(Method.ROLLOUT.availableOn(model.hasTaps(), model.hasAttention())).isFalse();
            Throwable t = catchThrowable(() -> TestModels.engine().explain(model, ExplainRequest.of(input(model, fx),
                    null, Set.of(Method.GRAD_ROLLOUT), null)).join());
            assertThat(t).isInstanceOf(CompletionException.class);
            assertThat(t.getCause()).isInstanceOf(EngineException.class)
                    .hasMessageContaining("exposes no attention maps, so attention rollout is not available")
                    .hasMessageContaining("exported before attention maps were (no \"attention\" in its manifest)");
            // Grad-CAM still works on the same package.
            Explanation e = TestModels.engine().explain(model, ExplainRequest.of(input(model, fx), null,
                    Set.of(Method.GRADCAM), null)).join().get(0);
            assertThat(e.result(Method.GRADCAM).layerMap().isBlank()).isFalse();
        } finally {
            TestModels.engine().unload(model).join();
        }
        LoadedModel swin = TestModels.load(SWIN);
        assertThat(swin.hasAttention()).isFalse();
        assertThat(swin.attentionUnavailableReason()).startsWith("Model 'tiny-swin' exposes no attention maps");
    }
}
