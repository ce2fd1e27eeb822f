package io.saliencystudio.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Deletion / insertion curves, AUCs and average drop on the shapes model equal an independent PyTorch implementation
 * ({@code src/test/python/reference_metrics.py}) on the same saved Grad-CAM and saliency maps, within 1e-4.
 */
@Tag("parity")
class FaithfulnessParityTest {

    private static final Path FIXTURE = Path.of("src/test/resources/parity-methods/shapes/metrics");
    private static final double TOLERANCE = 1e-4;

    @Test
    void curvesAndAverageDropMatchTheReference() throws Exception {
        JsonNode root = new ObjectMapper().readTree(FIXTURE.resolve("cases.json").toFile());
        Npy.Array inputs = Npy.read(FIXTURE.resolve(root.get("input").asText()).normalize());
        LoadedModel model = TestModels.load("shapes");
        int size = model.manifest().input().size();
        assertThat(root.get("cases")).hasSize(4);
        for (JsonNode c : root.get("cases")) {
            int image = c.get("image").asInt();
            Npy.Array maps = Npy.read(FIXTURE.resolve(c.get("map").asText()).normalize());
            int hw = maps.shape()[1] * maps.shape()[2];
            float[] raw = Arrays.copyOfRange(maps.data(), image * hw, (image + 1) * hw);
            // the saved map is already normalised: it is both the ranking and the average-drop mask
            float[] range = MapMath.range(raw);
            Heatmap map = new Heatmap(maps.shape()[2], maps.shape()[1], raw, raw, range[0], range[1]);
            float[] input = Arrays.copyOfRange(inputs.data(), image * size, (image + 1) * size);
            FaithfulnessSettings settings = FaithfulnessSettings.RISE.withPixelsPerStep(c.get("pixelsPerStep").asInt());
            Faithfulness f = TestModels.engine().withNetwork(model, 16, net -> FaithfulnessMetrics.evaluate(net, input,
                    c.get("target").asInt(), map, settings, Progress.NONE)).join();
            String what = c.get("method").asText() + " image " + image;
            assertThat(f.deletion().fractions()).as(what).containsExactly(doubles(c.get("fractions")), within(1e-12));
            assertThat(f.deletion().scores()).as(what + " deletion")
                    .containsExactly(doubles(c.get("deletion")), within(TOLERANCE));
            assertThat(f.insertion().scores()).as(what + " insertion")
                    .containsExactly(doubles(c.get("insertion")), within(TOLERANCE));
            assertThat(f.deletion().auc()).as(what).isCloseTo(c.get("deletionAuc").asDouble(), within(TOLERANCE));
            assertThat(f.insertion().auc()).as(what).isCloseTo(c.get("insertionAuc").asDouble(), within(TOLERANCE));
            assertThat(f.originalScore()).as(what).isCloseTo(c.get("originalScore").asDouble(), within(TOLERANCE));
            assertThat(f.maskedScore()).as(what).isCloseTo(c.get("maskedScore").asDouble(), within(TOLERANCE));
            assertThat(f.averageDrop()).as(what).isCloseTo(c.get("averageDrop").asDouble(), within(TOLERANCE));
            assertThat(f.increase()).as(what).isEqualTo(c.get("increase").asBoolean());
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
