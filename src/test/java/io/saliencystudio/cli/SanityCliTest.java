package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.sanity.SanityStrip;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sanity} on the embedded shapes model with saliency and Grad-CAM, as a user runs it. */
class SanityCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shapesStarPassesForBothMethodsWithStripsAndReport(@TempDir Path out) throws Exception {
        CliRun run = CliRun.of("sanity", "--model", "models/shapes", "--method", "saliency,gradcam", "--seed", "0",
                "--out", out.toString(), "assets/samples/shapes/star-01.png");
        assertThat(run.exitCode()).as(run.err()).isZero();

        JsonNode json = JSON.readTree(out.resolve("sanity.json").toFile());
        List<String> groups = new ArrayList<>();
        json.get("groups").forEach(g -> groups.add(g.asText()));
        assertThat(groups).containsExactly("fc", "layer4", "layer3", "layer2", "layer1", "bn1", "conv1");
        assertThat(json.get("target").get("label").asText()).isEqualTo("star");
        assertThat(json.get("layer").asText()).isEqualTo("layer4");
        assertThat(json.get("seed").asLong()).isZero();
        assertThat(json.get("threshold").asDouble()).isEqualTo(0.5);
        JsonNode steps = json.get("steps");
        assertThat(steps).hasSize(groups.size() + 1);
        assertThat(steps.get(0).get("randomized")).isEmpty();
        assertThat(steps.get(0).get("blank")).as("no blank map on the original model").isEmpty();
        assertThat(steps.get(7).get("randomized")).hasSize(7);
        for (String m : List.of("saliency", "gradcam")) {
            assertThat(steps.get(0).get("spearman").get(m).asDouble()).isEqualTo(1.0);
            assertThat(steps.get(0).get("ssim").get(m).asDouble()).isEqualTo(1.0);
            JsonNode method = json.get("methods").get(m);
            assertThat(method.get("flagged").asBoolean()).as(m).isFalse();
            assertThat(method.get("finalSpearman").asDouble()).as(m).isLessThan(0.5)
                    .isEqualTo(steps.get(7).get("spearman").get(m).asDouble());
        }
        // Grad-CAM's ranking is gone once the head is random (measured -0.42), and stays low (final 0.18)
        assertThat(steps.get(1).get("spearman").get("gradcam").asDouble()).isLessThan(0.0);
        assertThat(json.get("methods").get("gradcam").get("finalSsim").asDouble()).isLessThan(0.3);

        assertThat(run.out()).contains("sanity check: model shapes, image star-01.png, class star (3), layer layer4")
                .contains("+layer4").contains("gradcam: passes (final Spearman").contains("saliency: passes");
        assertThat(run.out().lines().filter(l -> l.matches("\\s+\\d+  \\S.*"))).hasSize(8);
        assertThat(run.err()).contains("step 1/7: randomising fc").contains("step 7/7: randomising conv1");

        for (String m : List.of("saliency", "gradcam")) {
            BufferedImage strip = ImageIO.read(out.resolve("sanity-" + m + ".png").toFile());
            SanityStrip.Geometry g = SanityStrip.Geometry.of(8, 96, 96);
            assertThat(strip.getWidth()).isEqualTo(g.width());
            assertThat(strip.getHeight()).isEqualTo(g.height());
            assertThat(panelRuns(strip, g.panelY() + g.panelHeight() / 2)).as("%s panels", m)
                    .containsOnly(g.panelWidth()).hasSize(8);
            assertThat(meanAbsDiff(strip, g, 0, 7)).as("%s original vs fully random panel", m).isGreaterThan(5);
        }
    }

    @Test
    void usageErrorsSayWhatToDo() {
        CliRun layer = CliRun.of("sanity", "--model", "models/shapes", "--layer", "layer9",
                "assets/samples/shapes/star-01.png");
        assertThat(layer.exitCode()).isEqualTo(Main.USAGE);
        assertThat(layer.err()).contains("layer9");
        CliRun method = CliRun.of("sanity", "--model", "models/shapes", "--method", "saliency,nope",
                "assets/samples/shapes/star-01.png");
        assertThat(method.exitCode()).isEqualTo(Main.USAGE);
        assertThat(method.err()).contains("unknown method 'nope'");
        CliRun threshold = CliRun.of("sanity", "--model", "models/shapes", "--threshold", "2",
                "assets/samples/shapes/star-01.png");
        assertThat(threshold.exitCode()).isEqualTo(Main.USAGE);
        assertThat(threshold.err()).contains("--threshold");
        CliRun missing = CliRun.of("sanity", "--model", "models/shapes", "no/such/image.png");
        assertThat(missing.exitCode()).isEqualTo(Main.FAILED);
        assertThat(missing.err()).contains("image.png");
    }

    /** Lengths of the runs of non-white pixels along one row: one run per panel. */
    static List<Integer> panelRuns(BufferedImage img, int y) {
        List<Integer> runs = new ArrayList<>();
        int run = 0;
        for (int x = 0; x < img.getWidth(); x++) {
            if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) {
                run++;
            } else if (run > 0) {
                runs.add(run);
                run = 0;
            }
        }
        if (run > 0) {
            runs.add(run);
        }
        return runs;
    }

    static double meanAbsDiff(BufferedImage img, SanityStrip.Geometry g, int a, int b) {
        double sum = 0;
        for (int y = 0; y < g.panelHeight(); y++) {
            for (int x = 0; x < g.panelWidth(); x++) {
                int p = img.getRGB(g.panelX(a) + x, g.panelY() + y);
                int q = img.getRGB(g.panelX(b) + x, g.panelY() + y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * g.panelWidth() * g.panelHeight());
    }
}
