package io.saliencystudio.app.explain;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppContext;
import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.app.prefs.AppPreferences;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.metrics.Curve;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.control.TextField;
import org.controlsfx.control.PropertySheet;
import org.junit.jupiter.api.Test;

/**
 * The faithfulness protocol in the window: chosen in its sheet, sent to the engine as chosen, named where the results
 * are, never mixed with results of another protocol, and remembered for the next session.
 */
class FaithfulnessProtocolTest extends WindowTestBase {

    private static final FaithfulnessSettings CUSTOM = new FaithfulnessSettings(50, false, 3.0);

    @Test
    void evaluateUsesTheProtocolChosenInTheSheetAndNamesIt() {
        awaitFirstExplanation();
        int width = onFx(() -> ctx.explain().outcome().query().model().manifest().input().width());
        assertThat(onFx(() -> PanelNodes.protocolCaption(window.panels()))).isEqualTo(String.format(java.util.Locale.ROOT,
                "Protocol: RISE, %d px/step, probability, blur %.1f px", width, Math.max(1.0, 5.0 * width / 224)));

        robot.clickOn("#protocol");
        List<PropertySheet.Item> items = onFx(() -> sheet().sheet().getItems());
        onFx(() -> {
            item(items, "Pixels per step").setValue(50.0); // the numeric editor hands over a Double
            item(items, "Score").setValue(ProtocolSheet.Score.LOGIT);
            item(items, "Insertion blur sigma").setValue(3);
            item(items, "Insertion blur sigma").setValue(-1.0); // half-typed: ignored
        });
        assertThat(onFx(() -> ctx.metrics().protocol())).isEqualTo(CUSTOM);
        assertThat(onFx(() -> PanelNodes.protocolCaption(window.panels())))
                .isEqualTo("Protocol: Custom, 50 px/step, logit, blur 3.0 px");

        onFx(() -> ctx.metrics().evaluate(Method.SALIENCY));
        waitUntil("saliency evaluated", 60, () -> ctx.metrics().state(Method.SALIENCY,
                window.panels().panel(Method.SALIENCY).heatmap()) != null && ctx.metrics().state(Method.SALIENCY,
                        window.panels().panel(Method.SALIENCY).heatmap()).result() != null);
        assertThat(backend.protocols).containsExactly(CUSTOM);
        MetricsView view = onFx(() -> window.panels().metrics(Method.SALIENCY));
        assertThat(onFx(view::chartTooltip)).endsWith("Measured with Custom, 50 px/step, logit, blur 3.0 px");
        // Scored with the logit: the curve starts at the class logit, not a probability.
        Faithfulness f = onFx(() -> ctx.metrics().state(Method.SALIENCY, window.panels().panel(Method.SALIENCY).heatmap())
                .result());
        float[] logits = onFx(() -> ctx.explain().outcome().prediction().logits());
        int target = onFx(() -> ctx.explain().outcome().target().index());
        assertThat(f.deletion().scores()[0]).isEqualTo(logits[target], org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void changingTheProtocolDropsResultsOfTheOldOneWithoutCallingTheEngine() {
        awaitFirstExplanation();
        onFx(() -> ctx.inference().predictions().cancel());
        settle();
        Heatmap map = onFx(() -> window.panels().panel(Method.SALIENCY).heatmap());
        Faithfulness f = new Faithfulness(new Curve(new double[] {0, 1}, new double[] {0.8, 0}),
                new Curve(new double[] {0, 1}, new double[] {0.2, 1}), 0.8, 0.6, 0.25, false);
        MetricsView view = onFx(() -> window.panels().metrics(Method.SALIENCY));
        onFx(() -> ctx.metrics().put(Method.SALIENCY, map, f));
        assertThat(onFx(view::summary)).startsWith("Deletion AUC 0.400");
        assertThat(robot.lookup("#evaluate-saliency").queryButton().isDisabled()).isTrue();
        int engine = backend.engineCalls() + backend.networkCalls.get();

        onFx(() -> ctx.metrics().setProtocol(CUSTOM));
        assertThat(onFx(() -> ctx.metrics().state(Method.SALIENCY, map))).isNull();
        assertThat(onFx(view::summary)).isEmpty();
        assertThat(onFx(() -> view.chart().isVisible())).isFalse();
        assertThat(robot.lookup("#evaluate-saliency").queryButton().isDisabled()).as("can evaluate again").isFalse();
        settle();
        assertThat(backend.engineCalls() + backend.networkCalls.get()).isEqualTo(engine);

        // An evaluation running when the protocol changes is stopped, and its late result is not shown.
        onFx(() -> {
            ctx.metrics().evaluate(Method.SALIENCY);
            ctx.metrics().setProtocol(FaithfulnessSettings.RISE);
        });
        waitUntil("the first evaluation reached the engine", 30, () -> backend.protocols.size() == 1);
        onFx(() -> ctx.metrics().evaluate(Method.SALIENCY));
        waitUntil("saliency evaluated again", 60, () -> ctx.metrics().state(Method.SALIENCY, map) != null
                && ctx.metrics().state(Method.SALIENCY, map).result() != null);
        assertThat(backend.protocols).containsExactly(CUSTOM, FaithfulnessSettings.RISE);
        assertThat(onFx(view::chartTooltip)).contains("Measured with RISE, ");
    }

    @Test
    void theProtocolComesBackInTheNextSessionAndResetsToRise() {
        awaitFirstExplanation();
        onFx(() -> ctx.metrics().setProtocol(CUSTOM));
        prefs.flush();

        // A second session on a fresh handle of the same preferences node.
        String node = System.getProperty(AppPreferences.NODE_PROPERTY, "io/saliencystudio/test") + "/"
                + getClass().getSimpleName();
        AppPreferences reread = new AppPreferences(java.util.prefs.Preferences.userRoot().node(node));
        assertThat(reread.faithfulnessProtocol()).isEqualTo(CUSTOM);
        AppContext c2 = onFx(() -> new AppContext(AppTestKit.config(tmp), new TestBackend(), reread,
                Platform::runLater, null));
        try {
            assertThat(onFx(() -> c2.metrics().protocol())).isEqualTo(CUSTOM);
            assertThat(onFx(() -> c2.metrics().caption())).as("no model loaded yet")
                    .isEqualTo("Custom, 50 px/step, logit, blur 3.0 px");
        } finally {
            onFx(c2::close);
        }

        // Reset to RISE: the editors show it at once, and it is remembered.
        robot.clickOn("#protocol");
        robot.clickOn("#protocol-reset");
        assertThat(onFx(() -> ctx.metrics().protocol())).isEqualTo(FaithfulnessSettings.RISE);
        assertThat(prefs.faithfulnessProtocol()).isEqualTo(FaithfulnessSettings.RISE);
        assertThat(robot.lookup("#protocol-reset").queryButton().isDisabled()).isTrue();
        List<String> fields = onFx(() -> sheet().lookupAll(".text-field").stream()
                .map(n -> ((TextField) n).getText()).toList());
        assertThat(fields).as("blur sigma and pixels per step editors").hasSize(2).allMatch(t -> t.matches("0(\\.0)?"));

        AppPreferences broken = AppTestKit.freshPrefs("brokenProtocol");
        java.util.prefs.Preferences raw = java.util.prefs.Preferences.userRoot().node(
                System.getProperty(AppPreferences.NODE_PROPERTY, "io/saliencystudio/test") + "/brokenProtocol");
        raw.putInt("faithfulness.pixelsPerStep", -4);
        assertThat(broken.faithfulnessProtocol()).isEqualTo(FaithfulnessSettings.RISE);
    }

    private ProtocolSheet sheet() {
        return (ProtocolSheet) robot.lookup("#protocol-sheet").query();
    }

    private static PropertySheet.Item item(List<PropertySheet.Item> items, String name) {
        return items.stream().filter(i -> i.getName().equals(name)).findFirst().orElseThrow();
    }
}
