package io.saliencystudio.app.explain;

import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;

/**
 * The faithfulness protocol of Evaluate as a ControlsFX {@link PropertySheet} (the knobs of the CLI's
 * {@code evaluate --pixels-per-step --logit --blur-sigma}) with "Reset to RISE". Each item writes a new
 * {@link FaithfulnessSettings} to the {@link MetricsViewModel}, which drops results of the old protocol; the
 * editors follow the protocol, so a reset shows at once. Values the protocol would reject (negative) are ignored.
 */
public final class ProtocolSheet extends VBox {

    /** How the class is scored along the curves (an enum so the sheet offers a choice box). */
    public enum Score {
        PROBABILITY("Probability (RISE)"), LOGIT("Logit");

        private final String label;

        Score(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final MetricsViewModel metrics;
    private final PropertySheet sheet = new PropertySheet();

    public ProtocolSheet(MetricsViewModel metrics) {
        super(6);
        this.metrics = metrics;
        setId("protocol-sheet");
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        sheet.setMode(PropertySheet.Mode.NAME);
        sheet.getStyleClass().add("method-settings");
        sheet.setPrefSize(300, 130);
        sheet.getItems().setAll(List.of(
                item("Pixels per step", "Pixels deleted/inserted per step (0 = one image row, as RISE)",
                        Integer.class, FaithfulnessSettings::pixelsPerStep,
                        (p, v) -> new FaithfulnessSettings(v, p.probability(), p.insertionBlurSigma())),
                item("Score", "Softmax probability of the class (RISE; AUCs in [0, 1]) or its logit", Score.class,
                        p -> p.probability() ? Score.PROBABILITY : Score.LOGIT,
                        (p, v) -> p.withProbability(v == Score.PROBABILITY)),
                item("Insertion blur sigma", "Gaussian blur of the insertion start image, in input pixels (0 = "
                        + "RISE's 5 px scaled to the input: 5 x width / 224)", Double.class,
                        FaithfulnessSettings::insertionBlurSigma,
                        (p, v) -> new FaithfulnessSettings(p.pixelsPerStep(), p.probability(), v))));
        Button reset = new Button("Reset to RISE");
        reset.setId("protocol-reset");
        reset.getStyleClass().add("small");
        reset.setTooltip(new Tooltip("One row per step, probability, blur 5 px scaled to the input"));
        reset.disableProperty().bind(Bindings.createBooleanBinding(
                () -> FaithfulnessSettings.RISE.equals(metrics.protocol()), metrics.protocolProperty()));
        reset.setOnAction(e -> metrics.setProtocol(FaithfulnessSettings.RISE));
        getChildren().addAll(sheet, new HBox(reset));
    }

    public PropertySheet sheet() {
        return sheet;
    }

    private <T> PropertySheet.Item item(String name, String description, Class<T> type,
            Function<FaithfulnessSettings, T> get, BiFunction<FaithfulnessSettings, T, FaithfulnessSettings> set) {
        // The editors listen to this and show a protocol set elsewhere (Reset, preferences) without being rebuilt;
        // a half-typed negative number is not a protocol yet, and SettingItem keeps the last good one.
        ObservableValue<T> shown = Bindings.createObjectBinding(() -> get.apply(metrics.protocol()),
                metrics.protocolProperty());
        return new SettingItem<>("Protocol", name, description, type, metrics::protocol, metrics::setProtocol, get, set,
                shown);
    }
}
