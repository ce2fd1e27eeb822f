package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.MethodSettings.Baseline;
import io.saliencystudio.engine.explain.MethodSettings.Fill;
import io.saliencystudio.engine.explain.MethodSettings.IntegratedGradients;
import io.saliencystudio.engine.explain.MethodSettings.Occlusion;
import io.saliencystudio.engine.explain.MethodSettings.Quadrature;
import io.saliencystudio.engine.explain.MethodSettings.SmoothGrad;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.controlsfx.control.PropertySheet;

/**
 * The knobs of one method as a ControlsFX {@link PropertySheet}. Each item reads the view-model's current
 * {@link MethodSettings} and writes a new one, so changing a knob recomputes only the methods that use it (the cache
 * is keyed by each method's own settings). Values the engine would reject (no samples, say) are ignored.
 */
public final class MethodSettingsSheet extends PropertySheet {


    private final ExplainViewModel vm;

    public MethodSettingsSheet(Method method, ExplainViewModel vm) {
        this.vm = vm;
        setId("settings-" + method.id());
        setModeSwitcherVisible(false);
        setSearchBoxVisible(false);
        setMode(Mode.NAME);
        getItems().setAll(items(method));
        getStyleClass().add("method-settings");
    }

    /** Whether a method has anything to set (multi-pass methods at least have a batch size). */
    public static boolean hasSettings(Method method) {
        return !method.singlePass();
    }

    private List<Item> items(Method method) {
        List<Item> out = new ArrayList<>();
        switch (method) {
            case SMOOTHGRAD -> {
                out.add(item("Sigma", "Noise standard deviation as a fraction of the input range (0.15 in the paper)",
                        Double.class, s -> s.smoothGrad().sigma(), (s, v) -> s.withSmoothGrad(new SmoothGrad(
                                v, s.smoothGrad().samples(), s.smoothGrad().seed(), s.smoothGrad().squared()))));
                out.add(item("Samples", "Noisy copies averaged (one pass each)", Integer.class,
                        s -> s.smoothGrad().samples(), (s, v) -> s.withSmoothGrad(new SmoothGrad(
                                s.smoothGrad().sigma(), v, s.smoothGrad().seed(), s.smoothGrad().squared()))));
                out.add(item("Seed", "Seeds the noise, so a map can be reproduced", Long.class,
                        s -> s.smoothGrad().seed(), (s, v) -> s.withSmoothGrad(new SmoothGrad(
                                s.smoothGrad().sigma(), s.smoothGrad().samples(), v, s.smoothGrad().squared()))));
                out.add(item("Squared", "Average the squared gradients (SmoothGrad-Squared)", Boolean.class,
                        s -> s.smoothGrad().squared(), (s, v) -> s.withSmoothGrad(new SmoothGrad(
                                s.smoothGrad().sigma(), s.smoothGrad().samples(), s.smoothGrad().seed(), v))));
            }
            case INTEGRATED_GRADIENTS -> {
                out.add(item("Baseline", "Where the path starts: mean grey (zero in normalised space), black, or the "
                        + "image blurred", Baseline.class, s -> s.integratedGradients().baseline(),
                        (s, v) -> s.withIntegratedGradients(new IntegratedGradients(v,
                                s.integratedGradients().steps(), s.integratedGradients().quadrature()))));
                out.add(item("Steps", "Points on the path (one gradient each)", Integer.class,
                        s -> s.integratedGradients().steps(), (s, v) -> s.withIntegratedGradients(
                                new IntegratedGradients(s.integratedGradients().baseline(), v,
                                        s.integratedGradients().quadrature()))));
                out.add(item("Quadrature", "How the path integral is approximated", Quadrature.class,
                        s -> s.integratedGradients().quadrature(), (s, v) -> s.withIntegratedGradients(
                                new IntegratedGradients(s.integratedGradients().baseline(),
                                        s.integratedGradients().steps(), v))));
            }
            case OCCLUSION -> {
                out.add(item("Window", "Side of the square window in input pixels (0 = one eighth of the shorter "
                        + "side)", Integer.class, s -> s.occlusion().window(), (s, v) -> s.withOcclusion(
                                new Occlusion(v, s.occlusion().stride(), s.occlusion().fill()))));
                out.add(item("Stride", "Step between windows (0 = half the window)", Integer.class,
                        s -> s.occlusion().stride(), (s, v) -> s.withOcclusion(
                                new Occlusion(s.occlusion().window(), v, s.occlusion().fill()))));
                out.add(item("Fill", "What covers the window: the mean colour or black", Fill.class,
                        s -> s.occlusion().fill(), (s, v) -> s.withOcclusion(
                                new Occlusion(s.occlusion().window(), s.occlusion().stride(), v))));
            }
            default -> { }
        }
        if (hasSettings(method)) {
            out.add(item("Batch size", "Images per forward/backward of multi-pass methods: memory against speed "
                    + "(the maps do not change, so nothing is recomputed)", Integer.class, MethodSettings::batchSize,
                    MethodSettings::withBatchSize));
        }
        return out;
    }

    private <T> Item item(String name, String description, Class<T> type, Function<MethodSettings, T> get,
            BiFunction<MethodSettings, T, MethodSettings> set) {
        // Half-typed numbers (0 samples, a negative window) are not settings yet: SettingItem keeps the last good one.
        return new SettingItem<>("Parameters", name, description, type, vm::settings, vm::setSettings, get, set, null);
    }
}
