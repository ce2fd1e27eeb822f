package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.data.LabelRow;
import io.saliencystudio.engine.data.LabelsCsv;
import io.saliencystudio.engine.io.Npy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code evaluate} on the shapes model with saliency and Grad-CAM, as a user runs it. */
class EvaluateCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHAPES = Path.of("assets/samples/shapes");

    @Test
    void evaluateWritesCsvJsonAndMeansWithPointingFromLabelsCsv(@TempDir Path tmp) throws Exception {
        // three samples; labels.csv gives boxes for the first two only, so the third plays no pointing game
        Path images = Files.createDirectories(tmp.resolve("images"));
        List<LabelRow> labels = LabelsCsv.read(SHAPES.resolve(LabelsCsv.FILE_NAME));
        List<String> names = List.of("circle-01.png", "star-01.png", "hexagon-03.png");
        List<LabelRow> kept = new ArrayList<>();
        Map<String, int[]> boxes = new TreeMap<>();
        for (String name : names) {
            Files.copy(SHAPES.resolve(name), images.resolve(name));
            LabelRow row = labels.stream().filter(r -> r.file().equals(name)).findFirst().orElseThrow();
            if (!name.startsWith("hexagon")) {
                kept.add(row);
                boxes.put(name, row.box());
            }
        }
        LabelsCsv.write(images.resolve(LabelsCsv.FILE_NAME), kept);
        Path csv = tmp.resolve("out/eval.csv");
        Path json = tmp.resolve("out/eval.json");
        CliRun run = CliRun.of("evaluate", "--model", "models/shapes", "--method", "saliency,gradcam",
                "--pixels-per-step", "2304", "--csv", csv.toString(), "--json", json.toString(), images.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();

        List<String> rows = Files.readAllLines(csv);
        assertThat(rows.get(0)).isEqualTo(EvaluationReport.CSV_HEADER);
        List<String> header = List.of(rows.get(0).split(","));
        assertThat(rows).hasSize(1 + 3 * 2 + 2);
        Map<String, Integer> hits = new TreeMap<>();
        Map<String, Double> deletionSum = new TreeMap<>();
        for (String row : rows.subList(1, 7)) {
            String[] f = row.split(",", -1);
            assertThat(f).hasSameSizeAs(header);
            String name = Path.of(f[0]).getFileName().toString();
            String method = f[header.indexOf("method")];
            assertThat(method).isIn("saliency", "gradcam");
            double deletion = Double.parseDouble(f[header.indexOf("deletion_auc")]);
            double insertion = Double.parseDouble(f[header.indexOf("insertion_auc")]);
            assertThat(deletion).isBetween(0.0, 1.0);
            assertThat(insertion).isBetween(0.0, 1.0);
            assertThat(Double.parseDouble(f[header.indexOf("average_drop")])).isBetween(0.0, 1.0);
            deletionSum.merge(method, deletion, Double::sum);
            String hit = f[header.indexOf("pointing_hit")];
            if (!boxes.containsKey(name)) {
                assertThat(hit).as(name).isEmpty();
                continue;
            }
            // the hit follows from the reported maximum, the labels.csv box and the 6 px tolerance (15 at 224)
            int x = Integer.parseInt(f[header.indexOf("max_x")]);
            int y = Integer.parseInt(f[header.indexOf("max_y")]);
            int[] b = boxes.get(name);
            int dx = Math.max(0, Math.max(b[0] - x, x - (b[2] - 1)));
            int dy = Math.max(0, Math.max(b[1] - y, y - (b[3] - 1)));
            assertThat(hit).as(name + " " + method).isEqualTo(dx * dx + dy * dy <= 36 ? "1" : "0");
            hits.merge(method, hit.equals("1") ? 1 : 0, Integer::sum);
        }
        for (String row : rows.subList(7, 9)) {
            String[] f = row.split(",", -1);
            String method = f[1];
            assertThat(f[0]).isEqualTo("(mean)");
            assertThat(Double.parseDouble(f[header.indexOf("deletion_auc")]))
                    .isCloseTo(deletionSum.get(method) / 3, org.assertj.core.api.Assertions.within(1e-5));
            assertThat(Double.parseDouble(f[header.indexOf("pointing_hit")])).isEqualTo(hits.get(method) / 2.0);
            // the table on stdout counts the same hits over the two boxed images
            assertThat(run.out().lines().filter(l -> l.startsWith(method + " ")).findFirst().orElseThrow())
                    .endsWith(hits.get(method) + "/2").contains(" 3 ");
        }
        assertThat(run.out()).contains("2304 px per step").contains("pointing tolerance 6 px")
                .containsPattern("time per image: \\d+ ms");

        JsonNode root = JSON.readTree(json.toFile());
        assertThat(root.get("protocol").get("pixelsPerStep").asInt()).isEqualTo(2304);
        assertThat(root.get("protocol").get("fractions")).hasSize(5);
        assertThat(root.get("results")).hasSize(6);
        for (JsonNode r : root.get("results")) {
            assertThat(r.get("deletion")).hasSize(5);
            assertThat(r.get("insertion")).hasSize(5);
            assertThat(r.get("deletion").get(0).asDouble()).isEqualTo(r.get("originalScore").asDouble());
            assertThat(r.get("insertion").get(4).asDouble()).isEqualTo(r.get("originalScore").asDouble(),
                    org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(root.get("means").get("gradcam").get("pointingImages").asInt()).isEqualTo(2);
        assertThat(root.get("means").get("saliency").get("images").asInt()).isEqualTo(3);
        // The spread per metric, worked out here from the per-image results: n, mean, sample sd, median.
        double[] v = new double[3];
        int n = 0;
        for (JsonNode r : root.get("results")) {
            if (r.get("method").asText().equals("saliency")) {
                v[n++] = r.get("deletionAuc").asDouble();
            }
        }
        double mean = (v[0] + v[1] + v[2]) / 3;
        double sd = Math.sqrt((Math.pow(v[0] - mean, 2) + Math.pow(v[1] - mean, 2) + Math.pow(v[2] - mean, 2)) / 2);
        java.util.Arrays.sort(v);
        JsonNode spread = root.get("means").get("saliency").get("spread").get("deletion_auc");
        assertThat(spread.get("n").asInt()).isEqualTo(3);
        assertThat(spread.get("mean").asDouble()).isCloseTo(mean, org.assertj.core.api.Assertions.within(1e-12))
                .isCloseTo(root.get("means").get("saliency").get("deletionAuc").asDouble(),
                        org.assertj.core.api.Assertions.within(1e-15));
        assertThat(spread.get("sd").asDouble()).isCloseTo(sd, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(spread.get("median").asDouble()).isEqualTo(v[1]);
        assertThat(spread.get("better").asText()).isEqualTo("lower");
        assertThat(root.get("model").get("id").asText()).isEqualTo("shapes");
    }

    @Test
    void layerMethodsOnAModelWithoutTapsAreAUsageError(@TempDir Path tmp) {
        CliRun run = CliRun.of("evaluate", "--model", "src/test/resources/models/plain-no-taps.pt", "--method",
                "gradcam,layercam", SHAPES.resolve("star-01.png").toString());
        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertThat(run.err()).contains("no layer taps, so gradcam, layercam are not available")
                .contains("--method saliency").contains("export.py");
    }

    @Test
    void explainTakesAMethodListWithSettingsAndRecordsThem(@TempDir Path out) throws Exception {
        CliRun run = CliRun.of("explain", "--model", "models/shapes", "--method", "gradcam,saliency", "--sg-samples",
                "3", "--progress", "--out", out.toString(), SHAPES.resolve("star-01.png").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("progress: ");
        Path dir = out.resolve("star-01");
        JsonNode methods = JSON.readTree(dir.resolve("explanation.json").toFile()).get("methods");
        for (String m : List.of("saliency", "gradcam")) {
            assertThat(methods.get(m).get("signed").asBoolean()).isFalse();
            assertThat(methods.get(m).get("colormap").asText()).isEqualTo("viridis");
            assertThat(methods.get(m).get("settings").isObject()).isTrue();
            assertThat(methods.get(m).get("details").isObject()).isTrue();
            assertThat(Npy.read(dir.resolve(m + ".npy")).shape()).containsExactly(96, 96);
            assertThat(dir.resolve(m + ".png")).exists();
        }
    }

    @Test
    void roadAddsMorfLerfAndTheirCombinationPerMapAndOnAverage(@TempDir Path tmp) throws Exception {
        Path images = Files.createDirectories(tmp.resolve("images"));
        Files.copy(SHAPES.resolve("star-01.png"), images.resolve("star-01.png"));
        Path csv = tmp.resolve("eval.csv");
        Path json = tmp.resolve("eval.json");
        CliRun run = CliRun.of("evaluate", "--model", "models/shapes", "--method", "gradcam", "--road",
                "--pixels-per-step", "4608", "--csv", csv.toString(), "--json", json.toString(), images.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("ROAD MoRF").contains("ROAD at 10..90%, noisy linear imputation (noise 0.01)");
        List<String> rows = Files.readAllLines(csv);
        List<String> header = List.of(rows.get(0).split(","));
        String[] f = rows.get(1).split(",", -1);
        double morf = Double.parseDouble(f[header.indexOf("road_morf")]);
        double lerf = Double.parseDouble(f[header.indexOf("road_lerf")]);
        // Grad-CAM on a correctly classified star: removing its most relevant pixels hurts more than its least.
        assertThat(morf).isBetween(0.0, 1.0);
        assertThat(lerf).isGreaterThan(morf + 0.2); // measured: 0.62 and 0.89
        assertThat(Double.parseDouble(f[header.indexOf("road")])).isCloseTo((lerf - morf) / 2,
                org.assertj.core.data.Offset.offset(1e-6));
        JsonNode doc = JSON.readTree(json.toFile());
        JsonNode road = doc.get("results").get(0).get("road");
        assertThat(road.get("morfScores")).hasSize(9);
        double mean = 0;
        for (JsonNode v : road.get("morfScores")) {
            mean += v.asDouble() / 9;
        }
        assertThat(road.get("morf").asDouble()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(doc.get("protocol").get("road").get("noise").asDouble()).isEqualTo(0.01);
        assertThat(doc.get("means").get("gradcam").get("roadMorf").asDouble()).isCloseTo(morf,
                org.assertj.core.data.Offset.offset(1e-6));
        // Seeded noise: a second run gives the same numbers.
        Path again = tmp.resolve("again.csv");
        assertThat(CliRun.of("evaluate", "--model", "models/shapes", "--method", "gradcam", "--road",
                "--pixels-per-step", "4608", "--csv", again.toString(), images.toString()).exitCode()).isZero();
        assertThat(Files.readAllLines(again).get(1).split(",", -1)[header.indexOf("road")])
                .isEqualTo(f[header.indexOf("road")]);
    }
}
