package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Upsampling;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.ReceptiveField;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tap whose manifest records a receptive field is upsampled with each cell at its centre (the default), or
 * corner to corner when asked; the layer-resolution map is the same either way and the choice is recorded.
 */
class ReceptiveFieldUpsamplingTest {

    private static final Path PACKAGE = Path.of("src/test/resources/layout-model/package");

    @TempDir
    Path tmp;

    @Test
    void cellsSitAtTheirRecordedCentresAndBilinearStaysAvailable() throws Exception {
        Path pkg = Files.createDirectories(tmp.resolve("with-rf"));
        for (String f : new String[] {"model.pt", "synset.txt"}) {
            Files.copy(PACKAGE.resolve(f), pkg.resolve(f));
        }
        String manifest = Files.readString(PACKAGE.resolve("manifest.json"));
        String head = "\"shape\": [\n        8,\n        16,\n        16\n      ]";
        assertThat(manifest).contains(head);
        // Stride 2 with cell (0,0) centred on pixel 0 (0.5), as a padded 3x3 stride-2 convolution draws it.
        Files.writeString(pkg.resolve("manifest.json"), manifest.replace(head,
                head + ", \"receptiveField\": {\"stride\": [2, 2], \"center\": [0.5, 0.5]}"));
        LoadedModel model = TestModels.engine().load(ModelPackage.open(pkg)).join();
        try {
            assertThat(model.manifest().requireTap("head").receptiveField())
                    .isEqualTo(new ReceptiveField(2, 2, 0.5, 0.5));
            var input = TestModels.inputs(Npy.read(Path.of("src/test/resources/layout-model/fixtures/input.npy")),
                    model.manifest().input()).subList(0, 1);
            ExplainRequest request = ExplainRequest.of(input, null, EnumSet.of(Method.GRADCAM), null);
            Explanation centred = TestModels.engine().explain(model, request).join().get(0);
            Explanation plain = TestModels.engine().explain(model,
                    request.withSettings(MethodSettings.DEFAULTS.withUpsampling(Upsampling.BILINEAR))).join().get(0);
            MethodResult c = centred.result(Method.GRADCAM);
            MethodResult p = plain.result(Method.GRADCAM);
            assertThat(c.layerMap().values()).containsExactly(p.layerMap().values());
            assertThat(c.details()).containsEntry("upsampling", "receptive-field")
                    .containsEntry("receptiveField", "stride 2, cell (0,0) at (0.5, 0.5) px");
            assertThat(p.details()).containsEntry("upsampling", "bilinear");
            float[] expected = MapMath.upsample(c.layerMap(), 32, 32, new ReceptiveField(2, 2, 0.5, 0.5)).values();
            assertThat(c.map().values()).containsExactly(expected);
            assertThat(c.map().values()).isNotEqualTo(p.map().values());
            // Pixel 2 * j (centre 2j + 0.5) shows cell j itself.
            int w = c.layerMap().width();
            assertThat(c.map().values()[2 * 32 * 3 + 2 * 5]).isEqualTo(c.layerMap().values()[3 * w + 5]);
        } finally {
            TestModels.engine().unload(model).join();
        }
    }

    @Test
    void withoutARecordedFieldTheMapIsPlainAndSaysWhy() {
        LoadedModel model = TestModels.load(PACKAGE);
        var input = new io.saliencystudio.engine.image.ModelInput(model.manifest().input(),
                new float[model.manifest().input().size()],
                io.saliencystudio.engine.image.RgbImage.blank(32, 32), "zeros");
        MethodResult r = TestModels.engine().explain(model, ExplainRequest.of(java.util.List.of(input), 0,
                EnumSet.of(Method.GRADCAM), null)).join().get(0).result(Method.GRADCAM);
        assertThat(r.details()).containsEntry("upsampling", "bilinear (no receptive field recorded for this layer)");
    }

    @Test
    void theDefaultModelsRecordWhereTheirCellsLook() {
        // models/tools/receptive.py: a padded 3x3 stride-2 stem, then padded 3x3 windows, keep cell 0 on pixel 0.
        LoadedModel shapes = TestModels.load("shapes");
        assertThat(shapes.manifest().requireTap("layer4").receptiveField()).isEqualTo(new ReceptiveField(16, 16, 0.5, 0.5));
        assertThat(shapes.manifest().requireTap("layer3").receptiveField()).isEqualTo(new ReceptiveField(8, 8, 0.5, 0.5));
        assertThat(shapes.manifest().requireTap("layer4").receptiveField().matchesPlainUpsampling(6, 6, 96, 96)).isFalse();
        var input = new io.saliencystudio.engine.image.ModelInput(shapes.manifest().input(),
                new float[shapes.manifest().input().size()],
                io.saliencystudio.engine.image.RgbImage.blank(96, 96), "zeros");
        MethodResult r = TestModels.engine().explain(shapes, ExplainRequest.of(java.util.List.of(input), 0,
                EnumSet.of(Method.GRADCAM), null)).join().get(0).result(Method.GRADCAM);
        assertThat(r.details()).containsEntry("upsampling", "receptive-field")
                .containsEntry("receptiveField", "stride 16, cell (0,0) at (0.5, 0.5) px");
        assertThat(TestModels.load("fashion-mnist").manifest().requireTap(
                TestModels.load("fashion-mnist").manifest().defaultLayer()).receptiveField()).isNotNull();
    }
}
