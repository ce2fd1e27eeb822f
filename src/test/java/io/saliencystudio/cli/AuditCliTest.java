package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.audit.PredictionsCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit} of the 18 shapes samples with the shapes model, checked against eager PyTorch's figures
 * ({@code src/test/resources/audit/shapes-reference.json}, made by {@code src/test/python/reference_audit.py}).
 */
class AuditCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHAPES = Path.of("assets/samples/shapes");
    private static final List<String> LABELS = List.of("circle", "square", "triangle", "star", "cross", "hexagon");

    private static JsonNode reference() throws IOException {
        return JSON.readTree(Path.of("src/test/resources/audit/shapes-reference.json").toFile());
    }

    private static Path copySamples(Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(SHAPES)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    private static List<String[]> rows(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.get(0)).isEqualTo(PredictionsCsv.HEADER);
        return lines.subList(1, lines.size()).stream().map(l -> l.split(",", -1)).toList();
    }

    @Test
    void shapesAuditMatchesEagerPyTorchAndWritesAllOutputs(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("audit");
        CliRun run = CliRun.of("audit", "--model", "models/shapes", "--out", out.toString(), "--explain", "2",
                SHAPES.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("18 images (0 resumed, 0 skipped): accuracy 0.9444");
        JsonNode ref = reference();

        // predictions.csv: one row per image, values as eager PyTorch computes them
        List<String[]> rows = rows(out.resolve("predictions.csv"));
        assertThat(rows).hasSize(18);
        Map<String, JsonNode> byImage = new HashMap<>();
        ref.get("rows").forEach(r -> byImage.put(r.get("image").asText(), r));
        for (String[] r : rows) {
            JsonNode e = byImage.get(r[0]);
            assertThat(r[1]).as(r[0]).isEqualTo(e.get("true").asText());
            assertThat(r[2]).as(r[0]).isEqualTo(e.get("predicted").asText());
            assertThat(Double.parseDouble(r[3])).as(r[0]).isCloseTo(e.get("confidence").asDouble(), within(1e-5));
            assertThat(r[4]).isEqualTo(Boolean.toString(r[1].equals(r[2])));
            assertThat(Double.parseDouble(r[5])).as(r[0]).isCloseTo(e.get("true_probability").asDouble(), within(1e-5));
            assertThat(Double.parseDouble(r[6])).as(r[0]).isCloseTo(e.get("margin").asDouble(), within(1e-5));
            assertThat(Double.parseDouble(r[7])).as(r[0]).isCloseTo(e.get("loss").asDouble(), within(1e-4));
            assertThat(Integer.parseInt(r[8])).isEqualTo(e.get("true_rank").asInt());
        }
        String[] hexagon3 = rows.stream().filter(r -> r[0].equals("hexagon-03.png")).findFirst().orElseThrow();
        assertThat(hexagon3[1]).isEqualTo("hexagon");
        assertThat(hexagon3[2]).isEqualTo("circle");
        assertThat(rows.stream().filter(r -> r[4].equals("false")).map(r -> r[0]).toList()).containsExactly("hexagon-03.png");

        // confusion.csv: header of labels, first column of labels, counts
        List<String> confusion = Files.readAllLines(out.resolve("confusion.csv"));
        assertThat(confusion).hasSize(7);
        assertThat(confusion.get(0)).isEqualTo("true/predicted," + String.join(",", LABELS));
        for (int t = 0; t < 6; t++) {
            String[] cells = confusion.get(t + 1).split(",");
            assertThat(cells[0]).isEqualTo(LABELS.get(t));
            for (int p = 0; p < 6; p++) {
                assertThat(Integer.parseInt(cells[p + 1])).as(LABELS.get(t) + "->" + LABELS.get(p))
                        .isEqualTo(ref.get("confusion").get(t).get(p).asInt());
            }
        }
        assertThat(confusion.get(6)).isEqualTo("hexagon,1,0,0,0,0,2");

        // summary.json against the reference, and computed again here from predictions.csv
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("images").asInt()).isEqualTo(18);
        assertThat(summary.get("accuracy").asDouble()).isEqualTo(17 / 18.0).isEqualTo(ref.get("accuracy").asDouble());
        assertThat(summary.get("top5Accuracy").asDouble()).isEqualTo(1.0);
        assertThat(summary.get("expectedCalibrationError").asDouble())
                .isCloseTo(ref.get("expectedCalibrationError").asDouble(), within(1e-5))
                .isCloseTo(ece(rows), within(1e-12));
        assertThat(summary.at("/calibration/bins").asInt()).isEqualTo(15);
        for (int k = 0; k < 6; k++) {
            JsonNode c = summary.get("classes").get(k);
            JsonNode e = ref.get("classes").get(k);
            assertThat(c.get("label").asText()).isEqualTo(LABELS.get(k));
            assertThat(c.get("support").asInt()).isEqualTo(e.get("support").asInt()).isEqualTo(3);
            assertThat(c.get("precision").asDouble()).isCloseTo(e.get("precision").asDouble(), within(1e-12));
            assertThat(c.get("recall").asDouble()).isCloseTo(e.get("recall").asDouble(), within(1e-12));
            assertThat(c.get("f1").asDouble()).isCloseTo(e.get("f1").asDouble(), within(1e-12));
        }
        assertThat(summary.get("classes").get(0).get("precision").asDouble()).isEqualTo(0.75); // 3 circles + hexagon-03
        assertThat(summary.get("classes").get(5).get("recall").asDouble()).isEqualTo(2 / 3.0);
        assertThat(summary.at("/model/id").asText()).isEqualTo("shapes");
        assertThat(summary.at("/model/sha256").asText()).hasSize(64);
        assertThat(summary.get("imagesPerSecond").asDouble()).isPositive();
        assertThat(summary.get("startupSeconds").asDouble()).isPositive();
        assertThat(summary.at("/run/date").asText()).isNotEmpty();
        assertThat(summary.get("skipped")).isEmpty();

        // report.html: the sections, inline images (image + 2 overlays for 1 mistake and 2 unsure), nothing external
        String html = Files.readString(out.resolve("report.html"));
        for (String id : List.of("summary", "confusion", "classes", "reliability", "mistakes", "unsure", "skipped")) {
            assertThat(html).contains("<section id=\"" + id + "\">");
        }
        assertThat(html).contains("<svg").contains("Grad-CAM").contains("Saliency").contains("hexagon-03.png");
        assertThat(count(html, "src=\"data:image/png;base64,")).isEqualTo(3 * 3);
        assertThat(html).doesNotContainIgnoringCase("http:").doesNotContainIgnoringCase("https:")
                .doesNotContainIgnoringCase("<script").doesNotContain("src=\"/").doesNotContain("href=");
        String mistakes = html.substring(html.indexOf("<section id=\"mistakes\">"), html.indexOf("<section id=\"unsure\">"));
        assertThat(count(mistakes, "<div class=\"card\">")).isEqualTo(1);
        assertThat(mistakes).contains("hexagon-03.png");
    }

    /** ECE over 15 equal-width bins, written out again from the CSV's own numbers. */
    private static double ece(List<String[]> rows) {
        double[] conf = new double[15];
        int[] n = new int[15];
        int[] ok = new int[15];
        for (String[] r : rows) {
            double c = Double.parseDouble(r[3]);
            for (int b = 0; b < 15; b++) {
                if (c > b / 15.0 && c <= (b + 1) / 15.0) {
                    conf[b] += c;
                    n[b]++;
                    ok[b] += r[4].equals("true") ? 1 : 0;
                }
            }
        }
        double e = 0;
        for (int b = 0; b < 15; b++) {
            e += n[b] == 0 ? 0 : (double) n[b] / rows.size() * Math.abs((double) ok[b] / n[b] - conf[b] / n[b]);
        }
        return e;
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int c = 0;
        while (m.find()) {
            c++;
        }
        return c;
    }

    @Test
    void classMapsAverageEachClassesMapsRightAndWrong(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("audit");
        CliRun run = CliRun.of("audit", "--model", "models/shapes", "--out", out.toString(), "--explain", "0",
                "--class-maps", SHAPES.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("wrote " + out.resolve("class-maps.png"));
        java.awt.image.BufferedImage png = javax.imageio.ImageIO.read(out.resolve("class-maps.png").toFile());
        // 6 classes x (64 + 6) under a 40 px header; saliency and Grad-CAM, right and wrong: 4 columns.
        assertThat(png.getHeight()).isEqualTo(40 + 6 * 70);
        assertThat(png.getWidth()).isEqualTo(130 + 4 * 70);
        // The hexagon the model calls a circle (hexagon-03) is the only wrong image: every other wrong cell is grey.
        int circleWrongGradCam = png.getRGB(130 + 3 * 70 + 32, 40 + 32) & 0xffffff;
        int hexagonWrongGradCam = png.getRGB(130 + 3 * 70 + 32, 40 + 5 * 70 + 32) & 0xffffff;
        assertThat(circleWrongGradCam).isEqualTo(0xEEEEEE);
        assertThat(hexagonWrongGradCam).isNotEqualTo(0xEEEEEE);
        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<h2 id=\"class-maps\">Mean maps per class</h2>").contains("data:image/png;base64,");
    }

    @Test
    void imageFolderLayoutGivesTheSameConfusion(@TempDir Path tmp) throws Exception {
        Path data = tmp.resolve("folders");
        for (String line : Files.readAllLines(SHAPES.resolve("labels.csv")).subList(1, 19)) {
            String[] f = line.split(",");
            // circles in a folder named by index, the rest by label
            Path dir = Files.createDirectories(data.resolve(f[1].equals("circle") ? f[2] : f[1]));
            Files.copy(SHAPES.resolve(f[0]), dir.resolve(f[0]));
        }
        Path out = tmp.resolve("audit");
        CliRun run = CliRun.of("audit", "--model", "models/shapes", "--out", out.toString(), "--explain", "0",
                data.toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("layout").asText()).isEqualTo("ImageFolder");
        assertThat(summary.get("images").asInt()).isEqualTo(18);
        assertThat(summary.get("accuracy").asDouble()).isEqualTo(17 / 18.0);
        List<String[]> rows = rows(out.resolve("predictions.csv"));
        assertThat(rows).extracting(r -> r[0]).contains("0/circle-01.png", "hexagon/hexagon-03.png");
        assertThat(rows.stream().filter(r -> r[0].equals("hexagon/hexagon-03.png")).findFirst().orElseThrow()[2])
                .isEqualTo("circle");
        assertThat(Files.readAllLines(out.resolve("confusion.csv")).get(6)).isEqualTo("hexagon,1,0,0,0,0,2");
    }

    @Test
    void unreadableFileAndUnknownLabelAreListedAndTheRestAudited(@TempDir Path tmp) throws Exception {
        Path data = copySamples(tmp.resolve("data"));
        Files.write(data.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Files.copy(SHAPES.resolve("star-01.png"), data.resolve("pentagon-01.png"));
        Files.writeString(data.resolve("labels.csv"), Files.readString(data.resolve("labels.csv"))
                + "broken.png,star,3,0,0,10,10\npentagon-01.png,pentagon,6,0,0,10,10\n");
        Path out = tmp.resolve("audit");
        CliRun run = CliRun.of("audit", "--model", "models/shapes", "--out", out.toString(), "--explain", "0",
                data.toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(Main.SOME_FAILED);
        assertThat(run.err()).contains("skipped: broken.png").contains("skipped: pentagon-01.png");
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("images").asInt()).isEqualTo(18);
        assertThat(summary.get("accuracy").asDouble()).isEqualTo(17 / 18.0);
        Map<String, String> skipped = new HashMap<>();
        summary.get("skipped").forEach(s -> skipped.put(s.get("file").asText(), s.get("reason").asText()));
        assertThat(skipped).containsOnlyKeys("broken.png", "pentagon-01.png");
        assertThat(skipped.get("broken.png")).contains("is not an image");
        assertThat(skipped.get("pentagon-01.png")).contains("unknown label 'pentagon'");
        assertThat(Files.readString(out.resolve("report.html"))).contains("broken.png").contains("pentagon-01.png");
    }

    @Test
    void resumeKeepsTheRowsItFindsAndComputesOnlyTheRest(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("audit");
        CliRun first = CliRun.of("audit", "--model", "models/shapes", "--out", out.toString(), "--explain", "0",
                SHAPES.toString());
        assertThat(first.exitCode()).as(first.err()).isZero();
        Path csv = out.resolve("predictions.csv");
        List<String> whole = Files.readAllLines(csv);

        // an earlier run that stopped after 10 rows, in the middle of the 11th; one kept row carries a marker
        // (confidence 0.25) that only survives if rows read back are not recomputed
        List<String> partial = new ArrayList<>(whole.subList(0, 11));
        String[] first1 = partial.get(1).split(",");
        first1[3] = "0.25";
        String marked = String.join(",", first1);
        partial.set(1, marked);
        Files.writeString(csv, String.join("\n", partial) + "\n" + whole.get(11).substring(0, 20));

        CliRun again = CliRun.of("audit", "--model", "models/shapes", "--out", out.toString(), "--explain", "0",
                "--resume", SHAPES.toString());
        assertThat(again.exitCode()).as(again.err()).isZero();
        JsonNode summary = JSON.readTree(out.resolve("summary.json").toFile());
        assertThat(summary.get("resumedRows").asInt()).isEqualTo(10);
        assertThat(summary.get("imagesThisRun").asInt()).isEqualTo(8);
        assertThat(summary.at("/run/droppedRows").asInt()).isEqualTo(1);
        assertThat(summary.get("images").asInt()).isEqualTo(18);
        List<String> expected = new ArrayList<>(whole);
        expected.set(1, marked);
        assertThat(Files.readAllLines(csv)).isEqualTo(expected);

        CliRun refused = CliRun.of("audit", "--model", "models/shapes", "--out", out.toString(), SHAPES.toString());
        assertThat(refused.exitCode()).isEqualTo(Main.USAGE);
        assertThat(refused.err()).contains("--resume").contains("--overwrite");
    }
}
