package io.saliencystudio.app.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.service.ExplainQuery;
import io.saliencystudio.app.service.ImageSource;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.render.Overlay;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** "Export panels as PNG": the three panels side by side, composited by the engine's float blender. */
class FigureExportTest {

    @TempDir
    Path tmp;

    @Test
    void writesThreePanelsWithTheChosenColormapAndOpacity() throws Exception {
        var model = TestBackend.model(AppTestKit.defaultModel());
        Path file = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 1).get(0);
        var input = new Preprocessor(model.manifest().input(), model.manifest().preprocessing())
                .apply(new ImageLoader().load(file), file.toString());
        Explanation e = TestBackend.engine().explain(model, ExplainRequest.of(List.of(input), null,
                EnumSet.allOf(Method.class), null)).join().get(0);
        ExplainOutcome out = new ExplainOutcome(new ExplainQuery(ImageSource.of(file), model, null, null,
                EnumSet.allOf(Method.class)), input.seen(), 28, 28, e.prediction(), e.target(), e.results(), 1, false);

        BufferedImage fig = FigureExport.compose(out, Colormap.MAGMA, MapScaling.MIN_MAX, 0.5, 1.0);
        int w = input.seen().width();
        int k = (int) Math.ceil(256.0 / w);
        assertThat(fig.getWidth()).isEqualTo(3 * w * k + 2 * 8);
        assertThat(fig.getHeight()).isEqualTo(input.seen().height() * k);
        // Top-left pixel of each panel equals the engine's own composite at that pixel.
        BufferedImage sal = Overlay.composite(input.seen(), e.result(Method.SALIENCY).map(), Colormap.MAGMA, 0.5);
        BufferedImage cam = Overlay.composite(input.seen(), e.result(Method.GRADCAM).map(), Colormap.MAGMA, 1.0);
        assertThat(fig.getRGB(w * k + 8, 0) & 0xffffff).isEqualTo(sal.getRGB(0, 0) & 0xffffff);
        assertThat(fig.getRGB(2 * (w * k + 8), 0) & 0xffffff).isEqualTo(cam.getRGB(0, 0) & 0xffffff);

        Path png = tmp.resolve("fig.png");
        FigureExport.write(fig, png);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(fig.getWidth());
        assertThat(Files.size(png)).isGreaterThan(100);
    }
}
