package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.model.ModelPackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code explain --figure} on the default shapes model and its samples. */
class FigureCliTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SHAPES = Path.of("assets/samples/shapes");

    @TempDir
    Path tmp;

    @Test
    void oneImageToAPdfRowWithTitleAndProvenance() throws Exception {
        Path fig = tmp.resolve("star.pdf");
        CliRun run = CliRun.of("explain", "--model", "models/shapes", "--figure", fig.toString(), "--title", "Star sample",
                "--dpi", "150", SHAPES.resolve("star-01.png").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains(fig.toString());
        try (PDDocument doc = Loader.loadPDF(fig.toFile())) {
            assertThat(new PDFTextStripper().getText(doc)).contains("Star sample", "star-01", "Original", "Saliency",
                    "Grad-CAM @ layer4", "per-map scale");
        }
        JsonNode json = JSON.readTree(tmp.resolve("star.pdf.json").toFile());
        assertThat(json.at("/model/id").asText()).isEqualTo("shapes");
        assertThat(json.at("/model/sha256").asText()).isEqualTo(ModelPackage.open(Path.of("models/shapes")).manifest().sha256());
        assertThat(json.at("/figure/layout").asText()).isEqualTo("row");
        assertThat(json.at("/figure/dpi").asInt()).isEqualTo(150);
        assertThat(json.at("/images/0/class/label").asText()).isEqualTo("star");
        assertThat(json.at("/images/0/score/probability").asDouble()).isBetween(0.0, 1.0);
        assertThat(json.at("/images/0/methods/gradcam/layer").asText()).isEqualTo("layer4");
        try (Stream<Path> s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("star.pdf", "star.pdf.json");
        }
    }

    @Test
    void severalImagesToOneSharedScaleGridWithRawMaps() throws Exception {
        Path fig = tmp.resolve("grid.png");
        CliRun run = CliRun.of("explain", "--model", "models/shapes", "--figure", fig.toString(), "--shared-scale",
                "--dpi", "72", "--save-maps", "--out", tmp.resolve("maps").toString(),
                SHAPES.resolve("star-01.png").toString(), SHAPES.resolve("circle-01.png").toString(),
                SHAPES.resolve("cross-01.png").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode json = JSON.readTree(tmp.resolve("grid.png.json").toFile());
        assertThat(json.at("/figure/layout").asText()).isEqualTo("grid");
        assertThat(json.get("images")).hasSize(3);
        assertThat(json.at("/normalisation/mode").asText()).isEqualTo("shared");
        double max = 0;
        for (JsonNode img : json.get("images")) {
            max = Math.max(max, img.at("/methods/saliency/rawMax").asDouble());
            max = Math.max(max, img.at("/methods/gradcam/rawMax").asDouble());
        }
        assertThat(json.at("/normalisation/max").asDouble()).isCloseTo(max, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(json.get("rawMaps")).hasSize(6);
        assertThat(tmp.resolve("grid.png.circle-01.gradcam.npy")).exists();
        assertThat(tmp.resolve("maps/star-01/explanation.json")).exists(); // --out still works alongside
        var img = javax.imageio.ImageIO.read(fig.toFile());
        assertThat(img.getWidth()).isEqualTo(json.at("/figure/widthPx").asInt());
        assertThat(img.getHeight()).isGreaterThan(3 * 144);
    }

    @Test
    void rowLayoutWritesOneSvgPerImage() throws Exception {
        Path fig = tmp.resolve("fig.svg");
        CliRun run = CliRun.of("explain", "--model", "models/shapes", "--method", "gradcam", "--layout", "row",
                "--figure", fig.toString(), SHAPES.resolve("star-01.png").toString(), SHAPES.resolve("hexagon-03.png").toString());
        assertThat(run.exitCode()).as(run.err()).isZero();
        for (String stem : new String[] {"star-01", "hexagon-03"}) {
            Path svg = tmp.resolve("fig-" + stem + ".svg");
            var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile());
            assertThat(doc.getElementsByTagName("image").getLength()).isEqualTo(3); // original, Grad-CAM, colour bar
            assertThat(doc.getDocumentElement().getTextContent()).contains(stem, "Grad-CAM @ layer4");
            assertThat(tmp.resolve("fig-" + stem + ".svg.json")).exists();
        }
        assertThat(fig).doesNotExist();
    }

    @Test
    void existingFigureIsNotOverwrittenWithoutTheFlag() throws Exception {
        Path fig = tmp.resolve("fig.png");
        Files.writeString(fig, "mine");
        String sample = SHAPES.resolve("star-01.png").toString();
        CliRun refused = CliRun.of("explain", "--model", "models/shapes", "--figure", fig.toString(), sample);
        assertThat(refused.exitCode()).isEqualTo(Main.FAILED);
        assertThat(refused.err()).contains("fig.png already exists").contains("--overwrite");
        assertThat(Files.readString(fig)).isEqualTo("mine");

        CliRun replaced = CliRun.of("explain", "--model", "models/shapes", "--figure", fig.toString(), "--overwrite",
                "--layout", "single", "--dpi", "72", sample);
        assertThat(replaced.exitCode()).as(replaced.err()).isZero();
        assertThat(Files.readAllBytes(fig)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(JSON.readTree(tmp.resolve("fig.png.json").toFile()).at("/figure/columns").toString())
                .isEqualTo("[\"saliency\"]");
    }

    @Test
    void badFigureOptionsAreUsageErrors() {
        String sample = SHAPES.resolve("star-01.png").toString();
        CliRun ext = CliRun.of("explain", "--model", "models/shapes", "--figure", tmp.resolve("f.jpg").toString(), sample);
        assertThat(ext.exitCode()).isEqualTo(Main.USAGE);
        assertThat(ext.err()).contains(".png, .svg or .pdf");
        CliRun layout = CliRun.of("explain", "--model", "models/shapes", "--figure", tmp.resolve("f.png").toString(),
                "--layout", "mosaic", sample);
        assertThat(layout.err()).contains("single, row or grid");
        CliRun none = CliRun.of("explain", "--model", "models/shapes", sample);
        assertThat(none.exitCode()).isEqualTo(Main.USAGE);
        assertThat(none.err()).contains("--out DIR, --figure PATH");
        CliRun missingFolder = CliRun.of("explain", "--model", "models/shapes", "--figure",
                tmp.resolve("no/such/f.png").toString(), sample);
        assertThat(missingFolder.exitCode()).isEqualTo(Main.FAILED);
        assertThat(missingFolder.err()).contains("does not exist");
    }
}
