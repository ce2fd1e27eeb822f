package io.saliencystudio.app.images;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.app.service.ExplainOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;

/**
 * A sample's labels.csv judges only models that have its label among their classes: opening another model keeps the
 * sample list, and it must not mark every sample wrong against labels that model does not know.
 */
class GroundTruthScopeTest extends WindowTestBase {

    @Test
    void truthFromAnotherModelsLabelsIsNotShownNorJudged() throws Exception {
        Path shapes = AppTestKit.MODELS.resolve("shapes");
        awaitFirstExplanation();
        assertThat(onFx(() -> PanelNodes.headlineText(window.panels()))).contains("true: ");
        String shapesDetail = onFx(() -> detailOfFirstImage());
        assertThat(shapesDetail).matches(".*%  [✓✗].*");

        // A user model with other classes, opened from its own folder (no samples of its own: the list stays).
        Path mine = tmp.resolve("my-fashion");
        Files.createDirectories(mine);
        for (String f : new String[] {"model.pt", "synset.txt"}) {
            Files.copy(AppTestKit.MODELS.resolve("fashion-mnist").resolve(f), mine.resolve(f));
        }
        String manifest = Files.readString(AppTestKit.MODELS.resolve("fashion-mnist").resolve("manifest.json"));
        assertThat(manifest).contains("\"id\": \"fashion-mnist\"");
        Files.writeString(mine.resolve("manifest.json"), manifest.replace("\"id\": \"fashion-mnist\"",
                "\"id\": \"my-fashion\""));
        onFx(() -> ctx.models().open(mine));
        waitUntil("the user model explains a shapes sample", 60, () -> {
            ExplainOutcome out = ctx.explain().outcome();
            return out != null && out.query().model().modelPackage().location().equals(mine)
                    && out.query().image().path().startsWith(AppTestKit.samplesOf(shapes));
        });
        AppTestKit.settle();
        assertThat(onFx(() -> ctx.explain().truthProperty().get())).isNull();
        assertThat(onFx(() -> PanelNodes.headlineText(window.panels()))).startsWith("Explaining ").doesNotContain("true:");
        waitUntil("predicted by the user model", 30, () -> ctx.images().items().get(0).prediction() != null
                && ctx.images().items().get(0).prediction().numClasses() == 10);
        AppTestKit.settle();
        assertThat(onFx(() -> detailOfFirstImage())).doesNotContain("✓").doesNotContain("✗");
    }

    private String detailOfFirstImage() {
        var cell = AppTestKit.cell(window.imageList().list(), 0);
        return cell.lookupAll(".image-detail").stream().map(n -> ((Label) n).getText()).findFirst().orElseThrow();
    }
}
