package io.saliencystudio.app.prefs;

import static io.saliencystudio.app.AppTestKit.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.explain.DisplaySettings;
import io.saliencystudio.app.explain.ExplainViewModel;
import io.saliencystudio.app.explain.MapScaling;
import io.saliencystudio.app.explain.MetricsViewModel;
import io.saliencystudio.app.service.ImageStore;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.render.Colormap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

/** Settings are restored from the preferences, then every change is written back. */
class PreferenceSyncTest {

    private final AppPreferences prefs = AppTestKit.freshPrefs("PreferenceSyncTest");
    private final PreferenceSync sync = new PreferenceSync(prefs);
    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final TestBackend backend = new TestBackend();
    private final InferenceService inference = new InferenceService(backend, new ImageStore(io, 1 << 20),
            Runnable::run, 1 << 20);

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @AfterEach
    void close() {
        backend.close();
        io.shutdownNow();
    }

    @Test
    void displaySettingsComeBackAndChangesAreSaved() {
        prefs.setColormap(Colormap.MAGMA);
        prefs.setOpacity("gradcam", 0.3);
        prefs.setScaling("PERCENTILE_99");
        prefs.setSharedScale(true);
        DisplaySettings display = new DisplaySettings();
        sync.display(display);
        assertThat(display.colormapProperty().get()).isEqualTo(Colormap.MAGMA);
        assertThat(display.opacityProperty(Method.GRADCAM).get()).isEqualTo(0.3);
        assertThat(display.opacityProperty(Method.SALIENCY).get()).isEqualTo(DisplaySettings.DEFAULT_OPACITY);
        assertThat(display.scalingProperty().get()).isEqualTo(MapScaling.PERCENTILE_99);
        assertThat(display.sharedScaleProperty().get()).isTrue();

        display.colormapProperty().set(Colormap.PLASMA);
        display.opacityProperty(Method.SALIENCY).set(0.8);
        display.scalingProperty().set(MapScaling.MIN_MAX);
        display.sharedScaleProperty().set(false);
        assertThat(prefs.colormap()).isEqualTo(Colormap.PLASMA);
        assertThat(prefs.opacity("saliency", -1)).isEqualTo(0.8);
        assertThat(prefs.scaling()).contains("MIN_MAX");
        assertThat(prefs.sharedScale()).isFalse();
    }

    @Test
    void methodPanelsComeBackSkippingUnknownIdsAndChangesAreSaved() {
        prefs.setMethodPanels(List.of("smoothgrad", "from-a-newer-version", "saliency"));
        ExplainViewModel explain = onFx(() -> new ExplainViewModel(inference));
        onFx(() -> sync.methodPanels(explain));
        assertThat(onFx(() -> List.copyOf(explain.methods())))
                .containsExactlyInAnyOrder(Method.SMOOTHGRAD, Method.SALIENCY);
        onFx(() -> explain.addMethod(Method.OCCLUSION));
        assertThat(prefs.methodPanels()).containsExactlyInAnyOrder("smoothgrad", "saliency", "occlusion");
    }

    @Test
    void withNoSavedPanelsTheDefaultsStay() {
        ExplainViewModel explain = onFx(() -> new ExplainViewModel(inference));
        List<Method> defaults = onFx(() -> List.copyOf(explain.methods()));
        onFx(() -> sync.methodPanels(explain));
        assertThat(onFx(() -> List.copyOf(explain.methods()))).isEqualTo(defaults).isNotEmpty();
        assertThat(prefs.methodPanels()).isEmpty();
    }

    @Test
    void theFaithfulnessProtocolIsSaved() {
        ExplainViewModel explain = onFx(() -> new ExplainViewModel(inference));
        MetricsViewModel metrics = onFx(() -> new MetricsViewModel(explain, inference, Runnable::run,
                prefs.faithfulnessProtocol()));
        sync.faithfulnessProtocol(metrics);
        FaithfulnessSettings changed = new FaithfulnessSettings(7, false, 2.0);
        onFx(() -> metrics.protocolProperty().set(changed));
        assertThat(prefs.faithfulnessProtocol()).isEqualTo(changed);
    }
}
