package io.saliencystudio.app.model;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Model picker, "Open model…" for a bare .pt, model errors, provenance. */
class ModelSwitchTest extends WindowTestBase {

    private static final Path TEST_MODELS = Path.of("src/test/resources/models").toAbsolutePath();

    @Test
    void aModelWithoutTapsExplainsSaliencyAndSaysWhyGradCamIsMissing() {
        awaitFirstExplanation();
        onFx(() -> ctx.models().open(TEST_MODELS.resolve("plain-no-taps.pt")));
        waitUntil("bare .pt loaded and explained", 60, () -> ctx.models().loaded() != null
                && ctx.models().loaded().manifest().id().equals("plain-no-taps") && ctx.explain().outcome() != null
                && ctx.explain().outcome().query().model() == ctx.models().loaded());
        assertThat(onFx(() -> ctx.notices().history().stream().anyMatch(n -> n.message().contains("no layer taps")))).isTrue();
        assertThat(onFx(() -> window.layers().list().getItems())).isEmpty();
        assertThat(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.SALIENCY)))).isNotNull();
        assertThat(onFx(() -> PanelNodes.messageLabel(window.panels().panel(Method.GRADCAM)).isVisible())).isTrue();
        assertThat(onFx(() -> PanelNodes.messageLabel(window.panels().panel(Method.GRADCAM)).getText())).contains("no layer taps");
        assertThat(onFx(() -> PanelNodes.overlayView(window.panels().panel(Method.GRADCAM)).isVisible())).isFalse();
        assertThat(onFx(() -> ctx.explain().outcome().result(Method.GRADCAM))).isNull();
        // The picker lists it beside the packages of models/.
        assertThat(onFx(() -> window.modelPicker().picker().getValue().id())).isEqualTo("plain-no-taps");
    }

    @Test
    void aFileThatIsNotAModelGivesAReadableErrorAndTheCurrentModelStays() {
        awaitFirstExplanation();
        var before = onFx(() -> ctx.models().loaded());
        onFx(() -> ctx.models().open(TEST_MODELS.resolve("not-a-model.pt")));
        waitUntil("error shown", 30, () -> window.notifications().isShowing());
        assertThat(onFx(() -> window.notifications().getText())).startsWith("Could not open the model not-a-model.pt")
                .contains("not a TorchScript file");
        assertThat(onFx(() -> ctx.models().loaded())).isSameAs(before);
        // Still working: another class is explained.
        int other = onFx(() -> ctx.explain().topClasses().get(2).index());
        onFx(() -> ctx.explain().selectClass(other));
        waitUntil("explained", 30, () -> ctx.explain().outcome().target().index() == other);
    }

    @Test
    void pickingAnotherPackageLoadsItWithItsSamples() {
        Path other = AppTestKit.MODELS.resolve(defaultModel().getFileName().toString().equals("shapes") ? "fashion-mnist" : "shapes");
        assertThat(other.resolve("manifest.json")).as("both default models are committed").isRegularFile();
        awaitFirstExplanation();
        ModelPackage pkg = onFx(() -> ctx.models().catalog().stream()
                .filter(p -> p.location().equals(other)).findFirst().orElseThrow());
        onFx(() -> window.modelPicker().picker().getSelectionModel().select(pkg));
        waitUntil("other model explained", 60, () -> ctx.explain().outcome() != null
                && ctx.explain().outcome().query().model().modelPackage().location().equals(other));
        assertThat(onFx(() -> ctx.images().items().stream().allMatch(i -> i.source().path().startsWith(
                AppTestKit.samplesOf(other))))).isTrue();
        assertThat(onFx(() -> ctx.explain().layer().displayName())).isEqualTo(pkg.manifest().defaultLayer());
        assertThat(prefs.lastModel()).contains(other.toString());
    }

    @Test
    void provenanceListsIdentityFilesAndTheManifestsProvenance() {
        awaitFirstExplanation();
        var m = onFx(() -> ctx.models().loaded());
        Map<String, String> rows = ProvenanceView.rows(m.modelPackage(), m.numClasses(), m.hasTaps(), ComputeDevice.CPU);
        assertThat(rows.get("SHA-256")).hasSize(64).isEqualTo(m.manifest().sha256());
        assertThat(rows.get("Classes")).startsWith(m.numClasses() + " ");
        assertThat(rows.get("Layer taps")).contains("default " + m.manifest().defaultLayer());
        assertThat(rows.keySet()).anyMatch(k -> k.startsWith("Provenance · "));
        if (m.manifest().provenance().containsKey("accuracy")) {
            assertThat(rows).containsKey("Provenance · accuracy.value");
        }
    }
}
