package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.TapLayout;
import io.saliencystudio.testing.ParityRule;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Transformer taps explained in DJL equal the eager hook reference that reshapes them as pytorch-grad-cam's examples
 * do (drop the class token, reshape to the grid, channels first; Swin stages are channels-last): a tiny torchvision
 * ViT (tokens 1 + 4x4) and a tiny Swin (NHWC stages), seeded weights, made by
 * src/test/python/make_transformer_models.py. Reading a Swin stage as (C, H, W) gives a 4x32 "map" here, and reading
 * ViT tokens as anything but (1 + grid) x C mixes channels into positions: these maps would then differ.
 */
@Tag("parity")
class TransformerParityTest {

    private static final Path ROOT = Path.of("src/test/resources/transformer-models");

    @TestFactory
    Stream<DynamicTest> vitAndSwinMapsMatchTheReference() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String id : List.of("tiny-vit", "tiny-swin")) {
            Path dir = ROOT.resolve(id);
            JsonNode fx = new ObjectMapper().readTree(dir.resolve("fixtures/fixtures.json").toFile());
            tests.add(DynamicTest.dynamicTest(id + ": logits and saliency", () -> checkLogitsAndSaliency(dir, fx)));
            for (JsonNode tap : fx.get("taps")) {
                tests.add(DynamicTest.dynamicTest(id + ": Grad-CAM at " + tap.get("name").asText(),
                        () -> checkGradCam(dir, fx, tap)));
            }
        }
        assertThat(tests).hasSize(8);
        return tests.stream();
    }

    private static List<ModelInput> input(Path dir, JsonNode fx, LoadedModel model) throws Exception {
        return TestModels.inputs(Npy.read(dir.resolve("fixtures").resolve(fx.get("input").asText())),
                model.manifest().input());
    }

    private static void checkLogitsAndSaliency(Path dir, JsonNode fx) throws Exception {
        LoadedModel model = TestModels.load(dir);
        List<ModelInput> in = input(dir, fx, model);
        Npy.Array logits = Npy.read(dir.resolve("fixtures").resolve(fx.get("logits").asText()));
        float[] actual = TestModels.engine().predict(model, in).join().get(0).logits();
        assertThat(actual).hasSize(logits.data().length);
        for (int j = 0; j < actual.length; j++) {
            assertThat((double) actual[j]).as("logit %d", j).isCloseTo(logits.data()[j], within(1e-4));
        }
        int target = fx.get("classIndex").asInt();
        Explanation e = TestModels.engine().explain(model,
                ExplainRequest.of(in, target, java.util.Set.of(Method.SALIENCY), null)).join().get(0);
        Npy.Array saliency = Npy.read(dir.resolve("fixtures").resolve(fx.get("saliency").asText()));
        ParityRule rule = check("saliency", e.result(Method.SALIENCY).map(), saliency);
        System.out.printf("transformer parity %s saliency: %s%n", dir.getFileName(), rule);
    }

    private static void checkGradCam(Path dir, JsonNode fx, JsonNode tapFixture) throws Exception {
        LoadedModel model = TestModels.load(dir);
        String layer = tapFixture.get("name").asText();
        LayerTap tap = model.manifest().requireSpatialTap(layer);
        // The layout the export recorded is the one the reference reshaped with.
        assertThat(tap.layout().id()).isEqualTo(tapFixture.get("layout").asText());
        assertThat(tap.layout().shape()).containsExactly(ints(tapFixture.get("shape")));
        assertThat(new int[] {tap.height(), tap.width()}).containsExactly(ints(tapFixture.get("grid")));
        if (tap.layout().kind() == TapLayout.Kind.TOKENS) {
            assertThat(tap.layout().prefixTokens()).isEqualTo(tapFixture.get("prefixTokens").asInt());
        }
        int target = fx.get("classIndex").asInt();
        Explanation e = TestModels.engine().explain(model,
                ExplainRequest.of(input(dir, fx, model), target, java.util.Set.of(Method.GRADCAM), layer)).join().get(0);
        Heatmap layerMap = e.result(Method.GRADCAM).layerMap();
        assertThat(new int[] {layerMap.height(), layerMap.width()}).containsExactly(ints(tapFixture.get("grid")));
        Npy.Array expected = Npy.read(dir.resolve("fixtures").resolve(tapFixture.get("file").asText()));
        ParityRule rule = check("Grad-CAM at " + layer, layerMap, expected);
        System.out.printf("transformer parity %s Grad-CAM at %s (%s): %s%n", dir.getFileName(), layer,
                tap.shapeText(), rule);
        assertThat((double) e.result(Method.GRADCAM).map().rawMax())
                .isCloseTo(tapFixture.get("gradcamRawMax").asDouble(), within(1e-4));
    }

    @TestFactory
    Stream<DynamicTest> everyMethodRunsOnTokenAndChannelsLastTaps() {
        return Stream.of("tiny-vit", "tiny-swin").map(id -> DynamicTest.dynamicTest(id, () -> {
            Path dir = ROOT.resolve(id);
            JsonNode fx = new ObjectMapper().readTree(dir.resolve("fixtures/fixtures.json").toFile());
            LoadedModel model = TestModels.load(dir);
            LayerTap tap = ExplanationEngine.tapFor(model, null);
            // Attention rollout only where the export exposes attention maps (the ViT, not Swin).
            List<Method> methods = java.util.Arrays.stream(Method.values())
                    .filter(m -> m.availableOn(model.hasTaps(), model.hasAttention())).toList();
            assertThat(methods.contains(Method.ROLLOUT)).isEqualTo(id.equals("tiny-vit"));
            Explanation e = TestModels.engine().explain(model, ExplainRequest.of(input(dir, fx, model),
                    fx.get("classIndex").asInt(), java.util.EnumSet.copyOf(methods), null)).join().get(0);
            for (Method m : methods) {
                var r = e.result(m);
                assertThat(r).as(m.id()).isNotNull();
                assertThat(new int[] {r.map().height(), r.map().width()}).as(m.id()).containsExactly(32, 32);
                float lo = r.signed() ? -1f : 0f;
                for (float v : r.map().values()) {
                    assertThat(v).as(m.id()).isBetween(lo, 1f);
                }
                if (m.needsLayer()) {
                    assertThat(new int[] {r.layerMap().height(), r.layerMap().width()}).as(m.id())
                            .containsExactly(tap.height(), tap.width());
                }
            }
            assertThat(e.result(Method.GRADCAM).layerMap().isBlank()).isFalse();
        }));
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    /** A map against an H x W reference (as many values, row-major) by the parity rule. */
    private static ParityRule check(String what, Heatmap actual, Npy.Array expected) {
        int hw = actual.width() * actual.height();
        assertThat(expected.data()).hasSize(hw);
        return ParityRule.check(what, actual.values(), expected.data(), null, 0, hw, 1);
    }
}
