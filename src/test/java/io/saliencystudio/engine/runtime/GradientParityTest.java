package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.explain.gradient.GradientTestAccess;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.testing.ParityRule;
import io.saliencystudio.testing.TestModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Input x Gradient, Integrated Gradients, Occlusion and SmoothGrad through the engine equal an eager-PyTorch
 * reference written from the papers' definitions ({@code src/test/python/reference_gradient.py}, fixtures under
 * {@code src/test/resources/parity-methods/<model>/gradient/}) by the parity rule ({@link ParityRule}): raw maps on
 * the scale of the reference's raw range, and normalised maps. SmoothGrad is compared on the reference's own noise.
 */
@Tag("parity")
class GradientParityTest {

    private static final double TOLERANCE = 1e-4;
    /** Gauss-Legendre at 50 steps must get completeness within this fraction of |f(x) - f(x')|. */
    private static final double COMPLETENESS = 0.05;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ROOT = Path.of("src/test/resources/parity-methods");

    @TestFactory
    Stream<DynamicTest> gradientMethodsMatchTheEagerReference() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (String model : List.of("fashion-mnist", "shapes")) {
            Path dir = ROOT.resolve(model).resolve("gradient");
            JsonNode doc = JSON.readTree(dir.resolve("cases.json").toFile());
            for (JsonNode c : doc.get("cases")) {
                String name = model + ": " + c.get("method").asText() + " " + c.get("settings") + " classes "
                        + c.get("classes");
                tests.add(DynamicTest.dynamicTest(name, () -> check(model, dir, doc, c)));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(20);
        return tests.stream();
    }

    private static void check(String modelId, Path dir, JsonNode doc, JsonNode c) throws Exception {
        LoadedModel model = TestModels.load(modelId);
        Npy.Array input = Npy.read(dir.resolve(doc.get("input").asText()));
        List<ModelInput> inputs = TestModels.inputs(input, model.manifest().input());
        Path file = dir.resolve(c.get("file").asText());
        Npy.Array expected = Npy.read(file);
        float[] expected64 = ParityRule.float64(file);
        List<Integer> classes = new ArrayList<>();
        c.get("classes").forEach(v -> classes.add(v.asInt()));
        Method method = Method.fromId(c.get("method").asText());
        ParityRule[] worst = {ParityRule.EXACT, ParityRule.EXACT};
        if (method == Method.SMOOTHGRAD) {
            List<RawMap> maps = smoothGradOnReferenceNoise(model, inputs, classes, dir.resolve(c.get("noise").asText()),
                    c.get("settings").get("squared").asBoolean());
            for (int i = 0; i < maps.size(); i++) {
                RawMap raw = maps.get(i);
                Heatmap map = MapMath.saliency(raw.values(), raw.width(), raw.height());
                compare(map, expected, expected64, i, false, worst);
            }
        } else {
            boolean given = c.get("classesGiven").asBoolean();
            ExplainRequest request = new ExplainRequest(inputs, given ? classes : null, EnumSet.of(method), null,
                    settings(method, c.get("settings")));
            List<Explanation> results = TestModels.engine().explain(model, request).join();
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).target().index()).isEqualTo(classes.get(i));
                MethodResult r = results.get(i).result(method);
                compare(r.map(), expected, expected64, i, true, worst);
                if (method == Method.INTEGRATED_GRADIENTS) {
                    checkCompleteness(r, c, i);
                }
            }
        }
        System.out.printf("gradient parity %s %s %s: raw/range %s; normalised %s%n", modelId,
                c.get("method").asText(), c.get("settings"), worst[0], worst[1]);
    }

    private static void checkCompleteness(MethodResult r, JsonNode c, int i) {
        double sum = ((Number) r.details().get("sumAttributions")).doubleValue();
        double delta = ((Number) r.details().get("deltaLogit")).doubleValue();
        double gap = ((Number) r.details().get("completenessGap")).doubleValue();
        double refSum = c.get("sumAttributions").get(i).asDouble();
        double refDelta = c.get("deltaLogit").get(i).asDouble();
        assertThat(sum).as("sum of attributions").isCloseTo(refSum, within(TOLERANCE * Math.max(1, Math.abs(refSum))));
        assertThat(delta).as("f(x) - f(baseline)").isCloseTo(refDelta, within(TOLERANCE * Math.max(1, Math.abs(refDelta))));
        assertThat(gap).isCloseTo(sum - delta, within(1e-9));
        JsonNode s = c.get("settings");
        if (s.get("quadrature").asText().equals("gauss_legendre") && s.get("steps").asInt() >= 50) {
            System.out.printf("IG completeness %s: gap %.3g of |deltaLogit| %.3g (%.2f%%)%n", s,
                    gap, Math.abs(delta), 100 * Math.abs(gap) / Math.abs(delta));
            assertThat(Math.abs(gap)).as("completeness gap").isLessThan(COMPLETENESS * Math.abs(delta));
        }
    }

    static List<RawMap> smoothGradOnReferenceNoise(LoadedModel model, List<ModelInput> inputs,
            List<Integer> classes, Path noiseFile, boolean squared) throws IOException {
        Npy.Array noise = Npy.read(noiseFile);
        int samples = noise.shape()[1];
        int size = model.manifest().input().size();
        return TestModels.engine().withNetwork(model, 16, network -> {
            List<RawMap> out = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                List<float[]> perturbations = new ArrayList<>();
                for (int s = 0; s < samples; s++) {
                    int from = (i * samples + s) * size;
                    perturbations.add(Arrays.copyOfRange(noise.data(), from, from + size));
                }
                out.add(GradientTestAccess.smoothGrad(network, inputs.get(i).tensor(), classes.get(i), perturbations,
                        squared));
            }
            return out;
        }).join();
    }

    /** The raw map on the scale of the reference's raw range, and the normalised map (methods.md), by the rule. */
    private static void compare(Heatmap actual, Npy.Array expected, float[] expected64, int image, boolean signed,
            ParityRule[] worst) {
        int hw = actual.width() * actual.height();
        float[] ref = Arrays.copyOfRange(expected.data(), image * hw, (image + 1) * hw);
        float[] ref64 = expected64 == null ? null : Arrays.copyOfRange(expected64, image * hw, (image + 1) * hw);
        float[] range = MapMath.range(ref);
        double span = Math.max(range[1] - range[0], 1e-12);
        ParityRule raw = ParityRule.check("raw map of image " + image + " (|diff| / raw range)", actual.raw(), ref, ref64,
                0, hw, span);
        ParityRule normalised = ParityRule.check("normalised map of image " + image, actual.values(),
                normalised(ref, range, signed), ref64 == null ? null : normalised(ref64, MapMath.range(ref64), signed),
                0, hw, 1);
        worst[0] = worst[0].worst(raw);
        worst[1] = worst[1].worst(normalised);
    }

    /** Signed: {@code 0.5 + raw / (2 max|raw|)}; unsigned: {@code (raw - min) / (max - min + 1e-8)}. */
    private static float[] normalised(float[] raw, float[] range, boolean signed) {
        float[] out = new float[raw.length];
        double absMax = Math.max(Math.max(Math.abs(range[0]), Math.abs(range[1])), 1e-12);
        for (int j = 0; j < raw.length; j++) {
            out[j] = (float) (signed ? 0.5 + 0.5 * raw[j] / absMax : (raw[j] - range[0]) / (range[1] - range[0] + 1e-8));
        }
        return out;
    }

    private static MethodSettings settings(Method method, JsonNode s) {
        MethodSettings base = MethodSettings.DEFAULTS;
        return switch (method) {
            case INTEGRATED_GRADIENTS -> base.withIntegratedGradients(new MethodSettings.IntegratedGradients(
                    MethodSettings.Baseline.valueOf(s.get("baseline").asText().toUpperCase()), s.get("steps").asInt(),
                    MethodSettings.Quadrature.valueOf(s.get("quadrature").asText().toUpperCase())));
            case OCCLUSION -> base.withOcclusion(new MethodSettings.Occlusion(s.get("window").asInt(),
                    s.get("stride").asInt(), MethodSettings.Fill.valueOf(s.get("fill").asText().toUpperCase())));
            default -> base;
        };
    }

    /** The seeded Java noise through the engine: same seed, same map; another seed, another map; noise scale kept. */
    @Test
    void seededSmoothGradIsReproducibleAndRecordsItsNoiseScale() throws IOException {
        LoadedModel model = TestModels.load("shapes");
        Path dir = ROOT.resolve("shapes").resolve("gradient");
        List<ModelInput> inputs = TestModels.inputs(Npy.read(dir.resolve("input.npy")), model.manifest().input())
                .subList(0, 1);
        MethodSettings.SmoothGrad s = new MethodSettings.SmoothGrad(0.15, 4, 11L, false);
        MethodResult a = smoothGrad(model, inputs, s);
        MethodResult again = smoothGrad(model, inputs, s);
        MethodResult other = smoothGrad(model, inputs, new MethodSettings.SmoothGrad(0.15, 4, 12L, false));

        assertThat(again.map().raw()).containsExactly(a.map().raw());
        assertThat(other.map().raw()).isNotEqualTo(a.map().raw());
        float[] range = MapMath.range(inputs.get(0).tensor());
        assertThat(((Number) a.details().get("noiseStd")).doubleValue())
                .isCloseTo(0.15 * (range[1] - range[0]), within(1e-6));
        assertThat(a.details()).containsEntry("seed", 11L).containsEntry("samples", 4);
    }

    private static MethodResult smoothGrad(LoadedModel model, List<ModelInput> inputs, MethodSettings.SmoothGrad s) {
        ExplainRequest request = ExplainRequest.of(inputs, null, EnumSet.of(Method.SMOOTHGRAD), null)
                .withSettings(MethodSettings.DEFAULTS.withSmoothGrad(s));
        return TestModels.engine().explain(model, request).join().get(0).result(Method.SMOOTHGRAD);
    }
}
