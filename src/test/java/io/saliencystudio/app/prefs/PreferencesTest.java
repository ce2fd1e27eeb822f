package io.saliencystudio.app.prefs;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppContext;
import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.MainWindow;
import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Upsampling;
import io.saliencystudio.engine.render.Colormap;
import java.util.List;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/** What the user set comes back in the next session: colormap, opacities, window size, split positions, model. */
class PreferencesTest extends WindowTestBase {

    @Test
    void valuesRoundTripAndBadValuesFallBack() {
        AppPreferences p = AppTestKit.freshPrefs("roundtrip");
        assertThat(p.colormap()).isEqualTo(Colormap.DEFAULT);
        p.setColormap(Colormap.TURBO);
        p.setOpacity("saliency", 0.25);
        p.setSplit("main", new double[] {0.3});
        assertThat(p.colormap()).isEqualTo(Colormap.TURBO);
        assertThat(p.opacity("saliency", 0.6)).isEqualTo(0.25);
        assertThat(p.split("main", new double[] {0.1})).containsExactly(0.3);
        assertThat(p.split("main", new double[] {0.1, 0.2})).as("other divider count").containsExactly(0.1, 0.2);
        p.setSplit("x", new double[] {1.7});
        assertThat(p.split("x", new double[] {0.5})).containsExactly(0.5);
        p.setOpacity("gradcam", 7);
        assertThat(p.opacity("gradcam", 0.6)).isEqualTo(1.0);
        assertThat(p.upsampling()).isEqualTo(Upsampling.RECEPTIVE_FIELD);
        p.setUpsampling(Upsampling.BILINEAR);
        assertThat(p.upsampling()).isEqualTo(Upsampling.BILINEAR);
    }

    @Test
    void aNewSessionRestoresWhatTheLastOneLeft() throws Exception {
        awaitFirstExplanation();
        onFx(() -> {
            ctx.display().colormapProperty().set(Colormap.MAGMA);
            ((javafx.scene.control.CheckMenuItem) PanelNodes.menuItem(stage.getScene(), "menu-receptive-field")).setSelected(false);
            ctx.explain().removeMethod(Method.GRADCAM);
            ctx.explain().addMethod(Method.INPUT_X_GRADIENT);
            PanelNodes.opacitySlider(window.panels().panel(Method.SALIENCY)).setValue(35);
            stage.setWidth(1100);
            stage.setHeight(700);
        });
        AppTestKit.settle();
        onFx(() -> {
            window.mainSplit().setDividerPositions(0.27);
            window.centerSplit().setDividerPositions(0.55);
            stage.getScene().getRoot().layout();
            window.saveState();
        });
        String model = prefs.lastModel().orElseThrow();
        assertThat(prefs.split("main", new double[] {0})[0]).isEqualTo(0.27, org.assertj.core.data.Offset.offset(0.01));

        // A second session on the same preferences.
        TestBackend b2 = new TestBackend();
        Object[] second = onFx(() -> {
            Stage s2 = new Stage();
            AppContext c2 = new AppContext(AppTestKit.config(tmp), b2, prefs, Platform::runLater, null);
            MainWindow w2 = new MainWindow(c2, s2);
            w2.show();
            return new Object[] {s2, c2, w2};
        });
        AppTestKit.settle();
        Stage s2 = (Stage) second[0];
        AppContext c2 = (AppContext) second[1];
        MainWindow w2 = (MainWindow) second[2];
        try {
            assertThat(onFx(() -> c2.display().colormapProperty().get())).isEqualTo(Colormap.MAGMA);
            assertThat(onFx(() -> c2.explain().settings().upsampling())).isEqualTo(Upsampling.BILINEAR);
            assertThat(onFx(() -> ((javafx.scene.control.CheckMenuItem) PanelNodes.menuItem(s2.getScene(), "menu-receptive-field"))
                    .isSelected())).isFalse();
            assertThat(onFx(() -> c2.display().opacityProperty(Method.SALIENCY).get()))
                    .isEqualTo(0.35, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(onFx(() -> PanelNodes.opacitySlider(w2.panels().panel(Method.SALIENCY)).getValue()))
                    .isEqualTo(35, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(onFx(() -> PanelNodes.overlayView(w2.panels().panel(Method.SALIENCY)).getOpacity()))
                    .isEqualTo(0.35, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(onFx(s2::getWidth)).isEqualTo(1100);
            assertThat(onFx(() -> w2.mainSplit().getDividerPositions()[0])).isEqualTo(0.27, org.assertj.core.data.Offset.offset(0.01));
            assertThat(onFx(() -> w2.centerSplit().getDividerPositions()[0])).isEqualTo(0.55, org.assertj.core.data.Offset.offset(0.01));
            assertThat(onFx(s2::getHeight)).isEqualTo(700);
            assertThat(onFx(() -> List.copyOf(c2.explain().methods())))
                    .containsExactly(Method.SALIENCY, Method.INPUT_X_GRADIENT);
            var choice = onFx(() -> c2.models().startupChoice());
            assertThat(choice.get(30, java.util.concurrent.TimeUnit.SECONDS).orElseThrow().location().toString())
                    .isEqualTo(model);
        } finally {
            onFx(() -> {
                c2.close();
                s2.close();
            });
        }
    }

    @Test
    void theSharedScaleChoiceComesBackInTheNextSession() {
        awaitFirstExplanation();
        javafx.scene.control.CheckBox toggle = onFx(() -> (javafx.scene.control.CheckBox) stage.getScene()
                .lookup("#shared-scale"));
        assertThat(onFx(toggle::isSelected)).as("off on a first run").isFalse();
        onFx(toggle::fire);
        assertThat(onFx(() -> ctx.display().sharedScaleProperty().get())).isTrue();
        prefs.flush();

        // A second session reads a fresh handle on the same preferences node.
        String node = System.getProperty(AppPreferences.NODE_PROPERTY, "io/saliencystudio/test") + "/"
                + getClass().getSimpleName();
        AppPreferences reread = new AppPreferences(java.util.prefs.Preferences.userRoot().node(node));
        assertThat(reread.sharedScale()).isTrue();
        TestBackend b2 = new TestBackend();
        Object[] second = onFx(() -> {
            Stage s2 = new Stage();
            AppContext c2 = new AppContext(AppTestKit.config(tmp), b2, reread, Platform::runLater, null);
            MainWindow w2 = new MainWindow(c2, s2);
            w2.show();
            return new Object[] {s2, c2};
        });
        Stage s2 = (Stage) second[0];
        AppContext c2 = (AppContext) second[1];
        try {
            assertThat(onFx(() -> c2.display().sharedScaleProperty().get())).isTrue();
            assertThat(onFx(() -> ((javafx.scene.control.CheckBox) s2.getScene().lookup("#shared-scale"))
                    .isSelected())).as("the panels' toggle").isTrue();
            // Turning it off is remembered as well.
            onFx(() -> c2.display().sharedScaleProperty().set(false));
            assertThat(reread.sharedScale()).isFalse();
            assertThat(prefs.sharedScale()).isFalse();
        } finally {
            onFx(() -> {
                c2.close();
                s2.close();
            });
        }
    }
}
