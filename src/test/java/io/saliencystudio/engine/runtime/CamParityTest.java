package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.testing.ParityRule;
import io.saliencystudio.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * Every CAM method equals a reference written from the papers on the eager PyTorch model with hooks
 * ({@code src/test/python/reference_cam.py}, fixtures in {@code src/test/resources/parity-methods/<model>/cam/}):
 * normalised maps at the layer's resolution and, where the fixture has them, upsampled to the input, by the parity
 * rule ({@link ParityRule}).
 * The single-pass methods run in one request (one shared pass); Score-CAM and Ablation-CAM in a request of their own,
 * so they read the activation the way they do when asked alone.
 */
@Tag("parity")
class CamParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("src/test/resources/parity-methods");
    private static final Set<Method> SINGLE_PASS = EnumSet.of(Method.GRADCAM, Method.GRADCAM_PLUS_PLUS,
            Method.XGRADCAM, Method.LAYERCAM, Method.HIRESCAM, Method.EIGENCAM);
    private static final Set<Method> MULTI_PASS = EnumSet.of(Method.SCORECAM, Method.ABLATIONCAM);

    @TestFactory
    Stream<DynamicTest> camMethodsMatchThePaperReference() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> models = Files.list(ROOT)) {
            for (Path fixture : models.map(m -> m.resolve("cam")).filter(Files::isDirectory).sorted().toList()) {
                String modelId = fixture.getParent().getFileName().toString();
                JsonNode doc = JSON.readTree(fixture.resolve("cases.json").toFile());
                for (JsonNode c : doc.get("cases")) {
                    String name = modelId + ": " + c.get("layer").asText() + " classes " + c.get("classes")
                            + (c.get("classesGiven").asBoolean() ? " (given)" : " (top-1)");
                    tests.add(DynamicTest.dynamicTest(name, () -> checkCase(fixture, modelId, doc, c)));
                }
            }
        }
        assertThat(tests).as("CAM fixtures under " + ROOT).hasSizeGreaterThanOrEqualTo(8);
        return tests.stream();
    }

    private static void checkCase(Path fixture, String modelId, JsonNode doc, JsonNode c) throws Exception {
        LoadedModel model = TestModels.load(modelId);
        List<ModelInput> inputs = TestModels.inputs(Npy.read(fixture.resolve(doc.get("input").asText())),
                model.manifest().input());
        List<Integer> classes = new ArrayList<>();
        c.get("classes").forEach(v -> classes.add(v.asInt()));
        List<Integer> asked = c.get("classesGiven").asBoolean() ? classes : null;
        String layer = c.get("layer").asText();
        Map<Method, List<MethodResult>> results = new EnumMap<>(Method.class);
        for (Set<Method> methods : List.of(SINGLE_PASS, MULTI_PASS)) {
            List<Explanation> explained = TestModels.engine()
                    .explain(model, new ExplainRequest(inputs, asked, methods, layer).withSettings(ParityTest.CORNER_TO_CORNER)).join();
            for (int i = 0; i < explained.size(); i++) {
                assertThat(explained.get(i).target().index()).as("target of image %d", i).isEqualTo(classes.get(i));
            }
            for (Method m : methods) {
                results.put(m, explained.stream().map(e -> e.result(m)).toList());
            }
        }
        StringBuilder report = new StringBuilder();
        for (Method method : results.keySet()) {
            JsonNode files = c.get("files").get(method.id());
            Path layerMaps = fixture.resolve(files.get("layer").asText());
            Path upsampled = files.has("upsampled") ? fixture.resolve(files.get("upsampled").asText()) : null;
            ParityRule worst = ParityRule.EXACT;
            for (int i = 0; i < classes.size(); i++) {
                MethodResult r = results.get(method).get(i);
                worst = worst.worst(ParityTest.compare(r.layerMap(), layerMaps, i, method + " at layer resolution"));
                if (upsampled != null) {
                    worst = worst.worst(ParityTest.compare(r.map(), upsampled, i, method + " upsampled"));
                }
                double rawMax = c.get("rawMax").get(method.id()).get(i).asDouble();
                assertThat((double) r.layerMap().rawMax()).as("%s raw max of image %d", method, i)
                        .isCloseTo(rawMax, within(1e-4 * Math.max(1, rawMax)));
                if (MULTI_PASS.contains(method)) {
                    assertThat(r.details().get("skippedChannels")).as("%s skipped channels of image %d", method, i)
                            .isEqualTo(c.get("skippedChannels").get(method.id()).get(i).asInt());
                }
            }
            report.append(String.format("; %s %s", method.id(), worst));
        }
        System.out.printf("cam parity %s %s classes %s%s%n", fixture.getParent().getFileName(), layer,
                classes, report);
    }
}
