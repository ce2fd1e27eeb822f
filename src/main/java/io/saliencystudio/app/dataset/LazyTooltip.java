package io.saliencystudio.app.dataset;

import javafx.scene.control.Control;
import javafx.scene.control.Tooltip;

/**
 * A tooltip made when the pointer first enters its control: a {@link Tooltip} is a popup window with its own CSS,
 * and making the confusion matrix's 110 of them up front took ~25 ms of one FX frame for the 10 Fashion-MNIST
 * classes. FX thread only.
 */
final class LazyTooltip {

    private LazyTooltip() {}

    static void install(Control control, String text) {
        control.setOnMouseEntered(e -> {
            if (control.getTooltip() == null) {
                control.setTooltip(new Tooltip(text));
            }
        });
    }
}
