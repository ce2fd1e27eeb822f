package io.saliencystudio.app.prefs;

import io.saliencystudio.app.explain.DisplaySettings;
import io.saliencystudio.app.explain.ExplainViewModel;
import io.saliencystudio.app.explain.MapScaling;
import io.saliencystudio.app.explain.MetricsViewModel;
import io.saliencystudio.engine.explain.Method;
import java.util.ArrayList;
import java.util.List;
import javafx.collections.ListChangeListener;

/**
 * What the app keeps between runs in {@link AppPreferences}: each setting is first restored from the preferences,
 * then every change is written back, so the window comes back as the user left it. Call on the UI thread, once,
 * while the app is put together.
 */
public final class PreferenceSync {

    private final AppPreferences prefs;

    public PreferenceSync(AppPreferences prefs) {
        this.prefs = prefs;
    }

    /**
     * The method panels come back as the user left them (saliency + Grad-CAM the first time); ids another version
     * saved that this one does not know are skipped.
     */
    public void methodPanels(ExplainViewModel explain) {
        List<Method> wanted = new ArrayList<>();
        for (String id : prefs.methodPanels()) {
            try {
                wanted.add(Method.fromId(id));
            } catch (IllegalArgumentException e) {
                // saved by another version: skip it
            }
        }
        if (!wanted.isEmpty()) {
            List.copyOf(explain.methods()).stream().filter(m -> !wanted.contains(m)).forEach(explain::removeMethod);
            wanted.forEach(explain::addMethod);
        }
        explain.methods().addListener((ListChangeListener<Method>) c ->
                prefs.setMethodPanels(explain.methods().stream().map(Method::id).toList()));
    }

    /** Colormap, each method's opacity, scaling and the shared scale. */
    public void display(DisplaySettings display) {
        display.colormapProperty().set(prefs.colormap());
        display.colormapProperty().addListener((o, was, now) -> prefs.setColormap(now));
        for (Method m : Method.values()) {
            display.opacityProperty(m).set(prefs.opacity(m.id(), DisplaySettings.DEFAULT_OPACITY));
            display.opacityProperty(m).addListener((o, was, now) -> prefs.setOpacity(m.id(), now.doubleValue()));
        }
        for (MapScaling s : MapScaling.values()) {
            if (prefs.scaling().filter(s.name()::equals).isPresent()) {
                display.scalingProperty().set(s);
            }
        }
        display.scalingProperty().addListener((o, was, now) -> prefs.setScaling(now.name()));
        display.sharedScaleProperty().set(prefs.sharedScale());
        display.sharedScaleProperty().addListener((o, was, now) -> prefs.setSharedScale(now));
    }

    /** Layer maps at receptive-field centres or corner to corner (Explain menu); other method settings are per run. */
    public void upsampling(ExplainViewModel explain) {
        explain.setSettings(explain.settings().withUpsampling(prefs.upsampling()));
        explain.settingsProperty().addListener((o, was, now) -> prefs.setUpsampling(now.upsampling()));
    }

    /** The faithfulness protocol (restored by the metrics view-model's constructor, saved here). */
    public void faithfulnessProtocol(MetricsViewModel metrics) {
        metrics.protocolProperty().addListener((o, was, now) -> prefs.setFaithfulnessProtocol(now));
    }
}
