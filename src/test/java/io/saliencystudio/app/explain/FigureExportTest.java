package io.saliencystudio.app.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.service.ExplainQuery;
import io.saliencystudio.app.service.ImageSource;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.figure.Figure;
import io.saliencystudio.engine.figure.FigureExporter;
import io.saliencystudio.engine.figure.FigureSpec;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.render.Colormap;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Export figure…": the current view through the engine's figure exporter, off the calling thread. */
class FigureExportTest {

    @TempDir
    Path tmp;

    private ExecutorService worker;
    private FigureExport export;
    private List<ExplainOutcome> current;

    @BeforeEach
    void setUp() throws Exception {
        worker = Executors.newSingleThreadExecutor(r -> new Thread(r, "figure-export-worker"));
        export = new FigureExport(worker);
        current = List.of(outcome(tmp));
    }

    @AfterEach
    void tearDown() throws Exception {
        worker.shutdownNow();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }

    static ExplainOutcome outcome(Path tmp) throws Exception {
        var model = TestBackend.model(AppTestKit.defaultModel());
        Path file = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 1).get(0);
        var input = new Preprocessor(model.manifest().input(), model.manifest().preprocessing())
                .apply(new ImageLoader().load(file), file.toString());
        Explanation e = TestBackend.engine().explain(model, ExplainRequest.of(List.of(input), null,
                Method.core(), null)).join().get(0);
        return new ExplainOutcome(new ExplainQuery(ImageSource.of(file), model, null, null,
                Method.core()), input.seen(), 28, 28, e.prediction(), e.target(), e.results(), 1, false);
    }

    private static FigureExport.Settings settings(int dpi) {
        return new FigureExport.Settings(FigureSpec.Layout.ROW, "Test figure", FigureSpec.ScaleMode.PER_MAP, dpi,
                Colormap.MAGMA, 0.5);
    }

    @Test
    void currentViewIsARowOfOriginalSaliencyAndGradCam() {
        FigureSpec spec = FigureExport.spec(current, settings(300), 300);
        assertThat(spec.layout()).isEqualTo(FigureSpec.Layout.ROW);
        assertThat(spec.columns()).containsExactly(null, Method.SALIENCY, Method.GRADCAM);
        assertThat(spec.colormap()).isEqualTo(Colormap.MAGMA);
        assertThat(spec.opacity()).isEqualTo(0.5);
    }

    @Test
    void writesAPngAtTheChosenDpiWithAProvenanceSidecar() throws Exception {
        Path png = tmp.resolve("figure.png");
        var result = export.export(current, settings(144), png, f -> {
            throw new AssertionError("nothing to confirm");
        }).get(60, TimeUnit.SECONDS);

        assertThat(result).isPresent();
        BufferedImage img = ImageIO.read(png.toFile());
        Figure at144 = Figure.of(FigureExport.spec(current, settings(144), 144));
        Figure at72 = Figure.of(FigureExport.spec(current, settings(72), 72));
        assertThat(img.getWidth()).isEqualTo(at144.pixelWidth());
        assertThat(img.getHeight()).isEqualTo(at144.pixelHeight());
        assertThat(img.getWidth()).isEqualTo((int) Math.ceil(at72.layout().width() * 2));
        assertThat(img.getWidth()).isBetween(2 * at72.pixelWidth() - 2, 2 * at72.pixelWidth());

        Path json = FigureExporter.sidecar(png);
        assertThat(result.get().sidecar()).isEqualTo(json.toAbsolutePath().normalize());
        JsonNode prov = new ObjectMapper().readTree(json.toFile());
        var model = current.get(0).query().model();
        assertThat(prov.at("/model/name").asText()).isEqualTo(model.manifest().name());
        assertThat(prov.toString()).contains("\"label\":\"" + current.get(0).target().label() + "\"");
        assertThat(prov.at("/figure/dpi").asInt()).isEqualTo(144);
        assertThat(prov.at("/figure/widthPx").asInt()).isEqualTo(img.getWidth());
    }

    @Test
    void anExistingFigureIsReplacedOnlyAfterConfirmation() throws Exception {
        Path png = tmp.resolve("existing.png");
        byte[] old = {1, 2, 3};
        Files.write(png, old);
        AtomicInteger asked = new AtomicInteger();

        var declined = export.export(current, settings(72), png, f -> {
            asked.incrementAndGet();
            return false;
        }).get(60, TimeUnit.SECONDS);
        assertThat(declined).isEmpty();
        assertThat(asked).hasValue(1);
        assertThat(Files.readAllBytes(png)).isEqualTo(old);
        assertThat(FigureExporter.sidecar(png)).doesNotExist();

        var accepted = export.export(current, settings(72), png, f -> {
            asked.incrementAndGet();
            return true;
        }).get(60, TimeUnit.SECONDS);
        assertThat(accepted).isPresent();
        assertThat(asked).hasValue(2);
        assertThat(ImageIO.read(png.toFile())).isNotNull();
        assertThat(FigureExporter.sidecar(png)).exists();
    }

    @Test
    void anExistingSidecarAlsoNeedsConfirmation() throws Exception {
        Path png = tmp.resolve("lonely.png");
        Files.writeString(FigureExporter.sidecar(png), "{}");
        var declined = export.export(current, settings(72), png, f -> false).get(60, TimeUnit.SECONDS);
        assertThat(declined).isEmpty();
        assertThat(png).doesNotExist();
        assertThat(Files.readString(FigureExporter.sidecar(png))).isEqualTo("{}");
    }

    @Test
    void theExportRunsOnTheBackgroundExecutorNotTheCallingThread() throws Exception {
        Path svg = tmp.resolve("figure.svg");
        export.export(current, settings(72), svg, f -> false).get(60, TimeUnit.SECONDS);
        assertThat(export.lastExportThread()).isEqualTo("figure-export-worker")
                .isNotEqualTo(Thread.currentThread().getName()).isNotEqualTo("JavaFX Application Thread");
        assertThat(Files.readString(svg)).contains("<svg");
    }

    @Test
    void previewUsesTheSameRendererAtLowDpi() throws Exception {
        BufferedImage preview = export.preview(current, settings(300)).get(60, TimeUnit.SECONDS);
        Figure small = Figure.of(FigureExport.spec(current, settings(300), FigureExport.PREVIEW_DPI));
        assertThat(preview.getWidth()).isEqualTo(small.pixelWidth());
    }

    @Test
    void badChoicesFailReadably() {
        assertThatThrownBy(() -> settings(50)).hasMessageContaining("between 72 and 600");
        var failed = export.export(current, settings(72), tmp.resolve("figure.gif"), f -> true);
        assertThatThrownBy(failed::join).hasMessageContaining(".png, .svg or .pdf");
        assertThat(FigureExport.describe(failed.handle((v, e) -> e).join())).contains("use a .png");
    }
}
