package io.saliencystudio.engine.figure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.io.Npy;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Each format carries the figure's text and provenance, read back with an independent reader. */
class FigureWritersTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    FigureSpec spec() {
        return FigureFixtures.rowSpec().title("Shapes: saliency vs Grad-CAM").dpi(150).build();
    }

    @Test
    void pngRecordsDpiAndProvenanceInTextChunks() throws Exception {
        Path file = dir.resolve("fig.png");
        new FigureExporter(false, false).export(spec(), file);
        Map<String, String> text = new HashMap<>();
        int[] ppm = new int[1];
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            IIOMetadata meta = reader.getImageMetadata(0);
            Node root = meta.getAsTree("javax_imageio_png_1.0");
            for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
                for (Node e = n.getFirstChild(); e != null; e = e.getNextSibling()) {
                    Element el = (Element) e;
                    if (e.getNodeName().equals("tEXtEntry")) {
                        text.put(el.getAttribute("keyword"), el.getAttribute("value"));
                    } else if (e.getNodeName().equals("iTXtEntry")) {
                        text.put(el.getAttribute("keyword"), el.getAttribute("text"));
                    }
                }
                if (n.getNodeName().equals("pHYs")) {
                    ppm[0] = Integer.parseInt(((Element) n).getAttribute("pixelsPerUnitXAxis"));
                }
            }
            assertThat(reader.getWidth(0)).isEqualTo(Figure.of(spec()).pixelWidth());
        }
        assertThat(ppm[0]).isEqualTo(Math.round(150 / 0.0254));
        assertThat(text).containsEntry("saliency-studio:model-id", "shapes-test")
                .containsEntry("saliency-studio:model-sha256", "ab".repeat(32))
                .containsEntry("saliency-studio:colormap", "viridis")
                .containsEntry("saliency-studio:layer", "layer4")
                .containsEntry("Title", "Shapes: saliency vs Grad-CAM");
        assertThat(text.get("saliency-studio:class")).isEqualTo("0 star");
        JsonNode json = JSON.readTree(text.get(Provenance.KEY));
        assertProvenance(json, "png");
    }

    @Test
    void pdfHasExtractableTextAndDocumentInformation() throws Exception {
        Path file = dir.resolve("fig.pdf");
        new FigureExporter(false, false).export(spec(), file);
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("Shapes: saliency vs Grad-CAM", "star-01", "star 78.6%", "Original", "Saliency",
                    "Grad-CAM @ layer4", "per-map scale", "1.00");
            var info = doc.getDocumentInformation();
            assertThat(info.getTitle()).isEqualTo("Shapes: saliency vs Grad-CAM");
            assertThat(info.getCustomMetadataValue("saliency-studio:model-id")).isEqualTo("shapes-test");
            assertThat(info.getCustomMetadataValue("saliency-studio:normalisation")).startsWith("per-map");
            assertThat(info.getCreationDate().toInstant()).isEqualTo(FigureFixtures.CREATED);
            assertProvenance(JSON.readTree(info.getCustomMetadataValue(Provenance.KEY)), "pdf");
            assertThat(doc.getPage(0).getMediaBox().getWidth()).isEqualTo((float) Figure.of(spec()).layout().width());
            long images = 0;
            for (var name : doc.getPage(0).getResources().getXObjectNames()) {
                images++;
            }
            assertThat(images).isEqualTo(4); // three panels and the colour bar
        }
    }

    @Test
    void svgParsesWithTextImagesAndMetadata() throws Exception {
        Path file = dir.resolve("fig.svg");
        new FigureExporter(false, false).export(spec(), file);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(file.toFile());
        NodeList texts = doc.getElementsByTagNameNS("*", "text");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < texts.getLength(); i++) {
            all.append(texts.item(i).getTextContent()).append('\n');
        }
        assertThat(all.toString()).contains("Shapes: saliency vs Grad-CAM", "star-01", "star 78.6%", "Saliency",
                "Grad-CAM @ layer4", "per-map scale");
        assertThat(doc.getElementsByTagNameNS("*", "image").getLength()).isEqualTo(4);
        // Physical size in points, one user unit = one point (as the layout), so text sizes are points.
        var layout = Figure.of(spec()).layout();
        Element svg = doc.getDocumentElement();
        assertThat(svg.getAttribute("width")).isEqualTo(layout.width() + "pt");
        assertThat(svg.getAttribute("viewBox").split("\\s+")).extracting(Double::parseDouble)
                .containsExactly(0.0, 0.0, layout.width(), layout.height());
        NodeList meta = doc.getElementsByTagNameNS("*", "metadata");
        assertThat(meta.getLength()).isEqualTo(1);
        assertProvenance(JSON.readTree(meta.item(0).getTextContent()), "svg");
    }

    @Test
    void jsonSidecarAndRawMaps() throws Exception {
        Path file = dir.resolve("fig.png");
        var result = new FigureExporter(false, true).export(spec(), file);
        assertThat(result.sidecar()).isEqualTo(file.resolveSibling("fig.png.json"));
        JsonNode json = JSON.readTree(result.sidecar().toFile());
        assertProvenance(json, "png");
        assertThat(json.at("/figure/file").asText()).isEqualTo("fig.png");
        assertThat(result.maps()).hasSize(2);
        Npy.Array sal = Npy.read(dir.resolve("fig.png.star-01.saliency.npy"));
        assertThat(sal.shape()).containsExactly(16, 16);
        assertThat(sal.data()[8 * 16 + 10]).isCloseTo(1.0f, org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(json.get("rawMaps")).hasSize(2);
    }

    static void assertProvenance(JsonNode json, String format) {
        assertThat(json.at("/figure/format").asText()).isEqualTo(format);
        assertThat(json.at("/figure/dpi").asInt()).isEqualTo(150);
        assertThat(json.at("/model/id").asText()).isEqualTo("shapes-test");
        assertThat(json.at("/model/sha256").asText()).isEqualTo("ab".repeat(32));
        assertThat(json.at("/model/preprocessing").asText()).startsWith("stretch");
        JsonNode img = json.at("/images/0");
        assertThat(img.at("/class/index").asInt()).isZero();
        assertThat(img.at("/class/label").asText()).isEqualTo("star");
        assertThat(img.at("/score/probability").asDouble()).isCloseTo(0.786, org.assertj.core.data.Offset.offset(1e-3));
        assertThat(img.at("/score/logit").asDouble()).isEqualTo(2.0);
        assertThat(img.at("/methods/gradcam/layer").asText()).isEqualTo("layer4");
        assertThat(img.at("/methods/gradcam/parameters/weights").asText()).contains("mean");
        assertThat(img.at("/methods/saliency/rawMax").asDouble()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(json.at("/normalisation/mode").asText()).isEqualTo("per-map");
        assertThat(json.at("/normalisation/max").asDouble()).isEqualTo(1.0);
        assertThat(json.at("/display/colormap").asText()).isEqualTo("viridis");
        assertThat(json.at("/display/opacity").asDouble()).isEqualTo(0.5);
        assertThat(json.at("/app/version").asText()).isEqualTo("test");
        assertThat(json.at("/app/date").asText()).isEqualTo("2026-01-02T03:04:05Z");
    }
}
