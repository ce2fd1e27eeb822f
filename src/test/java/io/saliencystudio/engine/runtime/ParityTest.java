package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Upsampling;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.testing.ParityRule;
import io.saliencystudio.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The engine's saliency and Grad-CAM equal a hook-based PyTorch reference on the same weights (fixtures written by
 * the export tool's verification, {@code src/test/resources/parity/<model>/}), by the parity rule ({@link ParityRule})
 * on normalised maps.
 */
@Tag("parity")
class ParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> enginesMatchThePythonReference() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path fixture : fixtures()) {
            Path model = Path.of(System.getProperty("parity.model." + fixture.getFileName(),
                    TestModels.MODELS.resolve(fixture.getFileName().toString()).toString()));
            JsonNode cases = JSON.readTree(fixture.resolve("cases.json").toFile());
            tests.add(DynamicTest.dynamicTest(fixture.getFileName() + ": logits", () -> checkLogits(fixture, model, cases)));
            for (JsonNode c : cases.get("cases")) {
                String name = fixture.getFileName() + ": " + c.get("layer").asText() + " classes " + c.get("classes");
                tests.add(DynamicTest.dynamicTest(name, () -> checkCase(fixture, model, cases, c)));
            }
        }
        assertThat(tests).as("parity fixtures under src/test/resources/parity").hasSizeGreaterThan(Integer.getInteger("parity.minTests", 4));
        return tests.stream();
    }

    static List<Path> fixtures() throws IOException {
        List<Path> dirs = new ArrayList<>();
        Path root = Path.of("src/test/resources/parity");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                s.filter(d -> Files.isRegularFile(d.resolve("cases.json"))).sorted().forEach(dirs::add);
            }
        }
        String extra = System.getProperty("parity.extra");
        if (extra != null) {
            dirs.add(Path.of(extra));
        }
        return dirs;
    }

    private static List<ModelInput> inputs(Path fixture, LoadedModel model, JsonNode cases) throws IOException {
        return TestModels.inputs(Npy.read(fixture.resolve(cases.get("input").asText())), model.manifest().input());
    }

    static void checkLogits(Path fixture, Path modelDir, JsonNode cases) throws Exception {
        LoadedModel model = TestModels.load(modelDir);
        Npy.Array expected = Npy.read(fixture.resolve(cases.get("logits").asText()));
        float[][] actual = TestModels.engine().predict(model, inputs(fixture, model, cases)).join().stream()
                .map(p -> p.logits()).toArray(float[][]::new);
        int k = expected.shape()[1];
        float scale = 1;
        for (float v : expected.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < actual.length; i++) {
            for (int j = 0; j < k; j++) {
                assertThat((double) actual[i][j]).as("logit [%d,%d]", i, j)
                        .isCloseTo(expected.data()[i * k + j], within(1e-4 * scale));
            }
        }
    }

    /**
     * The references upsample layer maps corner to corner (align_corners=False), as pytorch-grad-cam and Captum do;
     * the default places cells at their receptive-field centres (ReceptiveFieldUpsamplingTest, MapMathTest).
     */
    static final MethodSettings CORNER_TO_CORNER = MethodSettings.DEFAULTS.withUpsampling(Upsampling.BILINEAR);

    static void checkCase(Path fixture, Path modelDir, JsonNode cases, JsonNode c) throws Exception {
        LoadedModel model = TestModels.load(modelDir);
        List<ModelInput> inputs = inputs(fixture, model, cases);
        List<Integer> classes = new ArrayList<>();
        c.get("classes").forEach(v -> classes.add(v.asInt()));
        List<Explanation> results = TestModels.engine().explain(model,
                new ExplainRequest(inputs, classes, Method.core(), c.get("layer").asText()).withSettings(CORNER_TO_CORNER)).join();
        JsonNode files = c.get("files");
        Path saliency = fixture.resolve(files.get("saliency").asText());
        Path gradcam = fixture.resolve(files.get("gradcam").asText());
        Path gradcamLayer = fixture.resolve(files.get("gradcamLayer").asText());
        ParityRule[] worst = {ParityRule.EXACT, ParityRule.EXACT, ParityRule.EXACT};
        for (int i = 0; i < results.size(); i++) {
            Explanation e = results.get(i);
            assertThat(e.target().index()).isEqualTo(classes.get(i));
            worst[0] = worst[0].worst(compare(e.result(Method.SALIENCY).map(), saliency, i, "saliency"));
            worst[1] = worst[1].worst(compare(e.result(Method.GRADCAM).map(), gradcam, i, "gradcam"));
            worst[2] = worst[2].worst(compare(e.result(Method.GRADCAM).layerMap(), gradcamLayer, i, "gradcam at layer resolution"));
            assertThat((double) e.result(Method.GRADCAM).map().rawMax())
                    .isCloseTo(c.get("gradcamRawMax").get(i).asDouble(), within(1e-4 * Math.max(1, c.get("gradcamRawMax").get(i).asDouble())));
        }
        System.out.printf("parity %s layer %s classes %s: saliency %s; gradcam %s; gradcam at layer %s%n",
                fixture.getFileName(), c.get("layer").asText(), classes, worst[0], worst[1], worst[2]);
    }

    /** One image's map against the fixture (and its float64 evaluation where the fixture has one) by the rule. */
    static ParityRule compare(Heatmap actual, Path fixture, int image, String what) throws IOException {
        Npy.Array expected = Npy.read(fixture);
        int hw = actual.width() * actual.height();
        assertThat(expected.shape()[1] * expected.shape()[2]).isEqualTo(hw);
        return ParityRule.check(what + " of image " + image, actual.values(), expected.data(), ParityRule.float64(fixture),
                image * hw, hw, 1);
    }
}
