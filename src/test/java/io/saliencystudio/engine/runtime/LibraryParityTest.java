package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

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
import io.saliencystudio.engine.explain.Upsampling;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.testing.ParityRule;
import io.saliencystudio.testing.TestModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The project against pytorch-grad-cam and Captum THEMSELVES (fixtures made by running the libraries:
 * {@code src/test/python/library_fixtures.py}, data in {@code src/test/resources/library-parity/}), on the shapes
 * model. Where the project follows the library the parity rule ({@link ParityRule}) must hold; where it does
 * not (docs/methods.md, "Conventions"), the documented difference is asserted: the library's behaviour reproduced
 * through the project's option where there is one, and the size of the default's difference.
 * Layer methods are compared with {@link Upsampling#BILINEAR} (pytorch-grad-cam's own resize) or at layer resolution.
 */
@Tag("parity")
class LibraryParityTest {

    private static final Path DIR = Path.of("src/test/resources/library-parity");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MethodSettings BILINEAR = MethodSettings.DEFAULTS.withUpsampling(Upsampling.BILINEAR);

    @TestFactory
    Stream<DynamicTest> projectMatchesTheLibraries() throws IOException {
        JsonNode doc = JSON.readTree(DIR.resolve("cases.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : doc.get("cases")) {
            String name = c.get("library").asText() + " " + c.get("method").asText() + " " + c.get("file").asText();
            tests.add(DynamicTest.dynamicTest(name, () -> check(doc, c)));
        }
        assertThat(tests).as("library fixtures").hasSizeGreaterThanOrEqualTo(20);
        return tests.stream();
    }

    private static void check(JsonNode doc, JsonNode c) throws Exception {
        LoadedModel model = TestModels.load(doc.get("model").asText());
        List<ModelInput> inputs = TestModels.inputs(Npy.read(DIR.resolve(doc.get("input").asText())), model.manifest().input());
        List<Integer> classes = new ArrayList<>();
        c.get("classes").forEach(v -> classes.add(v.asInt()));
        Npy.Array expected = Npy.read(DIR.resolve(c.get("file").asText()));
        Method method = Method.fromId(c.get("method").asText());
        boolean library = c.get("library").asText().equals("captum");
        List<Heatmap> maps = new ArrayList<>();
        if (method == Method.SMOOTHGRAD) {
            for (RawMap raw : GradientParityTest.smoothGradOnReferenceNoise(model, inputs, classes,
                    DIR.resolve(c.get("noise").asText()), false)) {
                maps.add(MapMath.saliency(raw.values(), raw.width(), raw.height()));
            }
        } else {
            String layer = c.has("layer") ? c.get("layer").asText() : null;
            MethodSettings settings = library ? captumSettings(method, c.get("settings")) : BILINEAR;
            maps = explain(model, inputs, classes, method, layer, settings, c);
            if (method == Method.GRADCAM_PLUS_PLUS) {
                List<Heatmap> withEps = explain(model, inputs, classes, method, layer,
                        settings.withGradCamPlusPlusEpsilon(MethodSettings.PYTORCH_GRAD_CAM_EPSILON), c);
                ParityRule byDefault = measureAll(maps, expected, library, method, c);
                ParityRule eps = measureAll(withEps, expected, library, method, c);
                System.out.printf("library parity gradcam++ %s: default (no eps) %s; with eps 1e-6 %s%n",
                        c.get("file").asText(), byDefault, eps);
                assertThat(eps.holds()).as("Grad-CAM++ with pytorch-grad-cam's eps: %s", eps).isTrue();
                assertThat(byDefault.maxDiff()).as("Grad-CAM++ without eps differs by the documented amount")
                        .isBetween(1e-3, 1e-2);
                return;
            }
        }
        String file = c.get("file").asText();
        if (file.equals("gc_gradcam_layer4_full.npy")) {
            // pytorch-grad-cam min-maxes again AFTER its cv2.resize; the project normalises, then upsamples
            ParityRule plain = measureAll(maps, expected, library, method, c);
            ParityRule again = measureAll(maps.stream().map(LibraryParityTest::minMax).toList(), expected, library,
                    method, c);
            System.out.printf("library parity gradcam upsampled: as drawn %s; min-maxed again %s%n", plain, again);
            assertThat(again.holds()).as("upsampled Grad-CAM, min-maxed again: %s", again).isTrue();
            assertThat(plain.maxDiff()).as("the second min-max's documented effect").isBetween(1e-3, 1e-2);
            return;
        }
        if (method == Method.INTEGRATED_GRADIENTS && c.get("settings").get("quadrature").asText().equals("riemann_trapezoid")) {
            // Captum's trapezoid weights are 1/n with halved ends (they sum to (n-1)/n); the project's 1/(n-1)
            double n = c.get("settings").get("steps").asDouble();
            maps = maps.stream().map(h -> scaled(h, (n - 1) / n)).toList();
        }
        if (method == Method.OCCLUSION && c.get("settings").get("window").asInt() == 14) {
            checkOcclusionEdges(maps, expected, c);
            return;
        }
        if (method == Method.SMOOTHGRAD) {
            checkAbsoluteStdevs(inputs, Npy.read(DIR.resolve(c.get("noise").asText())));
        }
        if (method == Method.EIGENCAM) {
            checkEigenCam(maps, expected, file);
            return;
        }
        if (method == Method.SCORECAM) {
            ParityRule differs = measureAll(maps, expected, library, method, c);
            System.out.printf("library parity scorecam %s (softmax across channels, align_corners=True masks): %s%n",
                    file, differs);
            assertThat(differs.maxDiff()).as("Score-CAM's documented difference").isBetween(0.02, 0.3);
            ParityRule asLibrary = measureAll(explain(model, inputs, classes, method, c.get("layer").asText(),
                    BILINEAR.withScoreCamWeights(MethodSettings.ScoreCamWeights.CHANNEL_SOFTMAX), c), expected, library, method, c);
            System.out.printf("library parity scorecam %s with --scorecam-weights channel-softmax: %s%n", file, asLibrary);
            assertThat(asLibrary.holds()).as("Score-CAM with pytorch-grad-cam's weights: %s", asLibrary).isTrue();
            return;
        }
        ParityRule all = measureAll(maps, expected, library, method, c);
        assertThat(all.holds()).as("%s vs %s (%s): %s", method.id(), c.get("library").asText(), file, all).isTrue();
    }

    private static List<Heatmap> explain(LoadedModel model, List<ModelInput> inputs, List<Integer> classes, Method method,
            String layer, MethodSettings settings, JsonNode c) {
        List<Heatmap> maps = new ArrayList<>();
        for (Explanation e : TestModels.engine().explain(model,
                new ExplainRequest(inputs, classes, EnumSet.of(method), layer, settings)).join()) {
            MethodResult r = e.result(method);
            maps.add(c.get("resolution").asText().equals("layer") ? r.layerMap() : r.map());
        }
        return maps;
    }

    private static ParityRule measureAll(List<Heatmap> maps, Npy.Array expected, boolean library, Method method,
            JsonNode c) throws IOException {
        float[] f64 = ParityRule.float64(DIR.resolve(c.get("file").asText()));
        Npy.Array expected64 = f64 == null ? null : new Npy.Array(expected.shape(), f64);
        List<ParityRule> perImage = new ArrayList<>();
        for (int i = 0; i < maps.size(); i++) {
            Heatmap h = maps.get(i);
            int n = h.width() * h.height();
            assertThat(expected.shape()[1] * expected.shape()[2]).isEqualTo(n);
            boolean raw = library && !(method == Method.GRADCAM);
            float[] ref = raw ? expected.data() : normalisedIfRaw(expected, i, n, library);
            float[] ref64 = expected64 == null ? null : raw ? expected64.data() : normalisedIfRaw(expected64, i, n, library);
            int offset = raw ? i * n : 0;
            double scale = raw ? range(expected.data(), i * n, n) : 1;
            perImage.add(ParityRule.measure(raw ? h.raw() : h.values(), ref, ref64, offset, n, scale));
        }
        ParityRule worst = perImage.stream().reduce(ParityRule::worst).orElseThrow();
        System.out.printf("library parity %s %s %s: %s; per image %s%n", c.get("library").asText(), method.id(),
                c.get("file").asText(), worst, perImage);
        return worst;
    }

    private static Heatmap minMax(Heatmap h) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : h.values()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float[] out = new float[h.values().length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (h.values()[j] - lo) / (hi - lo + 1e-7f);
        }
        return new Heatmap(h.width(), h.height(), h.raw(), out, h.rawMin(), h.rawMax(), h.signed());
    }

    private static Heatmap scaled(Heatmap h, double factor) {
        float[] raw = new float[h.raw().length];
        for (int j = 0; j < raw.length; j++) {
            raw[j] = (float) (h.raw()[j] * factor);
        }
        return new Heatmap(h.width(), h.height(), raw, h.values(), (float) (h.rawMin() * factor),
                (float) (h.rawMax() * factor), h.signed());
    }

    /**
     * Captum's last window starts at the next multiple of the stride and is cut at the edge; the project's last
     * window is flush with the edge. Pixels before {@code size - window} are covered by the same windows in both.
     */
    private static void checkOcclusionEdges(List<Heatmap> maps, Npy.Array expected, JsonNode c) {
        int window = c.get("settings").get("window").asInt();
        double worstInside = 0;
        double worstEdge = 0;
        for (int i = 0; i < maps.size(); i++) {
            Heatmap h = maps.get(i);
            int w = h.width();
            int n = w * h.height();
            double scale = range(expected.data(), i * n, n);
            for (int j = 0; j < n; j++) {
                double d = Math.abs(h.raw()[j] - expected.data()[i * n + j]) / scale;
                boolean inside = j % w < w - window && j / w < h.height() - window;
                worstInside = inside ? Math.max(worstInside, d) : worstInside;
                worstEdge = inside ? worstEdge : Math.max(worstEdge, d);
            }
        }
        System.out.printf("library parity occlusion %s: inside %.2g, edge band (%d px) %.2g%n", c.get("file").asText(),
                worstInside, window, worstEdge);
        assertThat(worstInside).as("occlusion away from the far edges").isLessThanOrEqualTo(ParityRule.CLOSE);
        assertThat(worstEdge).as("occlusion edge windows differ (documented)").isGreaterThan(1e-3);
    }

    /** Captum's NoiseTunnel stdevs is absolute: the fixture asked 0.15 x (max - min) of each input, the project's sigma. */
    private static void checkAbsoluteStdevs(List<ModelInput> inputs, Npy.Array noise) {
        int per = noise.data().length / inputs.size();
        for (int i = 0; i < inputs.size(); i++) {
            float[] x = inputs.get(i).tensor();
            double span = range(x, 0, x.length);
            double sum2 = 0;
            for (int j = 0; j < per; j++) {
                sum2 += (double) noise.data()[i * per + j] * noise.data()[i * per + j];
            }
            double std = Math.sqrt(sum2 / per);
            assertThat(std / span).as("Captum's noise std / input range of image %d", i).isBetween(0.147, 0.153);
        }
    }

    /** Eigen-CAM: equal, or pytorch-grad-cam's arbitrary SVD sign came out the other way (disjoint supports). */
    private static void checkEigenCam(List<Heatmap> maps, Npy.Array expected, String file) {
        int flipped = 0;
        for (int i = 0; i < maps.size(); i++) {
            Heatmap h = maps.get(i);
            int n = h.width() * h.height();
            ParityRule rule = ParityRule.measure(h.values(), expected.data(), i * n, n, 1);
            if (!rule.holds()) {
                flipped++;
                for (int j = 0; j < n; j++) {
                    assertThat(Math.min(h.values()[j], expected.data()[i * n + j])).as("image %d: sign-flipped maps "
                            + "have disjoint supports", i).isLessThanOrEqualTo(1e-6f);
                }
            }
        }
        System.out.printf("library parity eigencam %s: %d of %d images equal, %d with pytorch-grad-cam's sign flipped%n",
                file, maps.size() - flipped, maps.size(), flipped);
    }

    /** Captum's LayerGradCam map is raw: normalise it the project's way (subtract the min, divide by the max). */
    private static float[] normalisedIfRaw(Npy.Array expected, int image, int n, boolean raw) {
        float[] out = new float[n];
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (int j = 0; j < n; j++) {
            out[j] = expected.data()[image * n + j];
            lo = Math.min(lo, out[j]);
            hi = Math.max(hi, out[j]);
        }
        if (raw) {
            for (int j = 0; j < n; j++) {
                out[j] = (out[j] - lo) / Math.max(hi - lo, 1e-8f);
            }
        }
        return out;
    }

    private static double range(float[] v, int from, int n) {
        double lo = Double.MAX_VALUE;
        double hi = -Double.MAX_VALUE;
        for (int j = from; j < from + n; j++) {
            lo = Math.min(lo, v[j]);
            hi = Math.max(hi, v[j]);
        }
        return Math.max(hi - lo, 1e-12);
    }

    private static MethodSettings captumSettings(Method method, JsonNode s) {
        return switch (method) {
            case INTEGRATED_GRADIENTS -> BILINEAR.withIntegratedGradients(new MethodSettings.IntegratedGradients(
                    MethodSettings.Baseline.MEAN, s.get("steps").asInt(),
                    MethodSettings.Quadrature.valueOf(s.get("quadrature").asText().toUpperCase())));
            case OCCLUSION -> BILINEAR.withOcclusion(new MethodSettings.Occlusion(s.get("window").asInt(),
                    s.get("stride").asInt(), MethodSettings.Fill.MEAN));
            default -> BILINEAR;
        };
    }
}
