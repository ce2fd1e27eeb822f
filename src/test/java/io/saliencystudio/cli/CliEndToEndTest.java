package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.data.LabelRow;
import io.saliencystudio.engine.data.LabelsCsv;
import io.saliencystudio.engine.io.Npy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI on the embedded default models and their sample images, as a user runs it. */
class CliEndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("assets/samples");

    record Sample(Path file, String label, int index, int[] box) {}

    static List<Sample> samples(String model) throws IOException {
        Path folder = SAMPLES.resolve(model);
        List<Sample> out = new ArrayList<>();
        for (LabelRow row : LabelsCsv.read(folder.resolve(LabelsCsv.FILE_NAME))) {
            out.add(new Sample(folder.resolve(row.file()), row.label(), row.index(), row.box()));
        }
        return out;
    }

    @Test
    void modelsListsBothDefaultModels() {
        CliRun run = CliRun.of("models", "--models-dir", "models");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("ID").contains("DEFAULT LAYER");
        assertThat(run.out().lines().filter(l -> l.startsWith("fashion-mnist")).findFirst()).get().asString()
                .contains("10").contains("1,28,28 GRAY");
        assertThat(run.out().lines().filter(l -> l.startsWith("shapes")).findFirst()).get().asString()
                .contains("6").contains("3,96,96 RGB").contains("layer4");
    }

    @Test
    void defaultModelsClassifyTheirSamples() throws Exception {
        for (String model : List.of("fashion-mnist", "shapes")) {
            List<Sample> samples = samples(model);
            assertThat(samples).hasSizeGreaterThanOrEqualTo(12);
            List<String> args = new ArrayList<>(List.of("predict", "--model", "models/" + model, "--json"));
            samples.forEach(s -> args.add(s.file().toString()));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.err()).isZero();
            List<String> lines = run.out().lines().toList();
            assertThat(lines).hasSameSizeAs(samples);
            int correct = 0;
            for (int i = 0; i < lines.size(); i++) {
                JsonNode line = JSON.readTree(lines.get(i));
                assertThat(line.get("image").asText()).isEqualTo(samples.get(i).file().toString());
                JsonNode top5 = line.get("top5");
                assertThat(top5).hasSize(5);
                double previous = 1.0;
                for (JsonNode t : top5) {
                    assertThat(t.get("probability").asDouble()).isBetween(0.0, previous);
                    previous = t.get("probability").asDouble();
                }
                if (top5.get(0).get("index").asInt() == samples.get(i).index()) {
                    assertThat(top5.get(0).get("label").asText()).isEqualTo(samples.get(i).label());
                    correct++;
                }
            }
            double accuracy = (double) correct / samples.size();
            System.out.printf("%s: %d/%d samples correct (%.1f%%)%n", model, correct, samples.size(), 100 * accuracy);
            assertThat(accuracy).as("%s sample accuracy", model).isGreaterThanOrEqualTo(0.9);
        }
    }

    @Test
    void explainWritesMapsOverlaysTensorAndJson(@TempDir Path out) throws Exception {
        Sample sample = samples("shapes").get(0);
        CliRun run = CliRun.of("explain", "--model", "models/shapes", "--out", out.toString(), sample.file().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        String stem = sample.file().getFileName().toString().replace(".png", "");
        Path dir = out.resolve(stem);
        assertThat(run.out().strip()).isEqualTo(dir.toString());

        Npy.Array input = Npy.read(dir.resolve("input.npy"));
        assertThat(input.shape()).containsExactly(3, 96, 96);
        Npy.Array saliency = Npy.read(dir.resolve("saliency.npy"));
        Npy.Array gradcam = Npy.read(dir.resolve("gradcam.npy"));
        Npy.Array layer = Npy.read(dir.resolve("gradcam-layer.npy"));
        assertThat(saliency.shape()).containsExactly(96, 96);
        assertThat(gradcam.shape()).containsExactly(96, 96);
        assertThat(layer.shape()).containsExactly(6, 6);
        for (Npy.Array a : List.of(saliency, gradcam, layer)) {
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : a.data()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertThat(min).isGreaterThanOrEqualTo(0f).isLessThan(0.01f);
            assertThat(max).isLessThanOrEqualTo(1f).isGreaterThan(0.9f);
        }
        assertThat(ImageIO.read(dir.resolve("saliency.png").toFile()).getWidth()).isEqualTo(96);
        assertThat(ImageIO.read(dir.resolve("gradcam.png").toFile()).getHeight()).isEqualTo(96);

        JsonNode json = JSON.readTree(dir.resolve("explanation.json").toFile());
        assertThat(json.get("top5")).hasSize(5);
        assertThat(json.get("target").get("index").asInt()).isEqualTo(json.get("top5").get(0).get("index").asInt());
        assertThat(json.get("target").get("label").asText()).isEqualTo(sample.label());
        assertThat(json.get("layer").asText()).isEqualTo("layer4");
        assertThat(json.get("methods").get("gradcam").get("max").asDouble()).isGreaterThan(0);
        assertThat(json.get("methods").get("saliency").get("ms").asDouble()).isGreaterThan(0);
        assertThat(json.get("model").get("id").asText()).isEqualTo("shapes");
        assertThat(json.get("model").get("sha256").asText()).hasSize(64);
    }

    @Test
    void classByLabelAndLayerByModulePathAreHonoured(@TempDir Path out) throws Exception {
        Sample sample = samples("shapes").get(0);
        CliRun run = CliRun.of("explain", "--model", "shapes", "--models-dir", "models", "--method", "gradcam",
                "--layer", "layer3", "--class", "star", "--colormap", "inferno", "--opacity", "0.7",
                "--out", out.toString(), sample.file().toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        Path dir = out.resolve(sample.file().getFileName().toString().replace(".png", ""));
        JsonNode json = JSON.readTree(dir.resolve("explanation.json").toFile());
        assertThat(json.get("target").get("label").asText()).isEqualTo("star");
        assertThat(json.get("layer").asText()).isEqualTo("layer3");
        assertThat(json.get("display").get("colormap").asText()).isEqualTo("inferno");
        assertThat(Npy.read(dir.resolve("gradcam-layer.npy")).shape()).containsExactly(12, 12);
        assertThat(dir.resolve("saliency.npy")).doesNotExist();
    }

    /**
     * Pointing game on the shapes samples: the Grad-CAM peak lies inside the object's true box. The bar is relative to
     * chance (a random point hits a box with probability = the box's share of the image, ~12% here), because a 6x6
     * layer4 map is coarse next to 18-48 px objects; layer3 (12x12) points better.
     */
    @Test
    void gradCamPointsAtTheShapes(@TempDir Path out) throws Exception {
        List<Sample> samples = samples("shapes");
        double chance = samples.stream().mapToDouble(s -> (s.box()[2] - s.box()[0]) * (s.box()[3] - s.box()[1]) / (96.0 * 96.0))
                .average().orElseThrow();
        for (String layer : List.of("layer4", "layer3")) {
            Path dir = out.resolve(layer);
            List<String> args = new ArrayList<>(List.of("explain", "--model", "models/shapes", "--method", "gradcam",
                    "--layer", layer, "--out", dir.toString()));
            samples.forEach(s -> args.add(s.file().toString()));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.err()).isZero();
            int hits = 0;
            Map<String, Integer> misses = new TreeMap<>();
            for (Sample s : samples) {
                Npy.Array map = Npy.read(dir.resolve(s.file().getFileName().toString().replace(".png", "")).resolve("gradcam.npy"));
                int w = map.shape()[1];
                int best = 0;
                for (int i = 1; i < map.data().length; i++) {
                    if (map.data()[i] > map.data()[best]) {
                        best = i;
                    }
                }
                int x = best % w;
                int y = best / w;
                if (x >= s.box()[0] && x < s.box()[2] && y >= s.box()[1] && y < s.box()[3]) {
                    hits++;
                } else {
                    misses.merge(s.label(), 1, Integer::sum);
                }
            }
            double pointing = (double) hits / samples.size();
            System.out.printf("shapes pointing game (Grad-CAM %s, predicted class): %d/%d = %.2f (chance %.2f), misses %s%n",
                    layer, hits, samples.size(), pointing, chance, misses);
            assertThat(pointing).as("pointing game at %s", layer).isGreaterThanOrEqualTo(0.5).isGreaterThan(3 * chance);
        }
    }

    @Test
    void benchReportsMediansForEveryMeasurement(@TempDir Path tmp) throws Exception {
        Path json = tmp.resolve("bench.json");
        CliRun run = CliRun.of("bench", "--model", "models/fashion-mnist", "--repeat", "3", "--batch", "2", "--soak", "20",
                "--json", json.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("median ms").contains("batch throughput").contains("JVM RSS")
                .containsPattern("soak 20 explanations: RSS \\d+ MiB after 2, \\d+ MiB halfway, \\d+ MiB at end");
        var fds = java.util.regex.Pattern.compile("soak open file descriptors: (\\d+) at start, (\\d+) at end")
                .matcher(run.out());
        assertThat(fds.find()).as(run.out()).isTrue();
        // In-process run: the JVM's own files (jars, logs) may come and go by a few; 20 explanations must not leak.
        assertThat(Long.parseLong(fds.group(2)) - Long.parseLong(fds.group(1))).isBetween(-8L, 3L);
        JsonNode root = JSON.readTree(json.toFile());
        for (String row : List.of("forward", "saliency", "gradcam", "saliency+gradcam", "batch 2 (saliency+gradcam)")) {
            JsonNode t = root.get("timings").get(row);
            assertThat(t).as(row).isNotNull();
            assertThat(t.get("minMs").asDouble()).isPositive().isLessThanOrEqualTo(t.get("medianMs").asDouble());
            assertThat(t.get("medianMs").asDouble()).isLessThanOrEqualTo(t.get("maxMs").asDouble());
        }
        assertThat(root.get("imagesPerSecond").asDouble()).isPositive();
        // In-process, the JVM's RSS may shrink after a GC, so only sanity-check the figures (not their order).
        assertThat(root.get("rssStartMiB").asLong()).isBetween(16L, 65_536L);
        assertThat(root.get("rssEndMiB").asLong()).isBetween(16L, 65_536L);
    }
}
