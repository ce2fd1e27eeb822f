package io.saliencystudio.app.explain;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * How far a multi-pass method is, over its panel: the engine's step and percent, a bar and a Cancel button. Hidden
 * while nothing is measured (single-pass work shows the panel's spinner instead). Style class
 * {@code panel-progress}.
 */
public final class ProgressOverlay extends VBox {

    private final ProgressBar bar = new ProgressBar(-1);
    private final Label text = new Label();
    private final Button cancel = new Button("Cancel");

    /** @param cancelId the Cancel button's id ({@code null}: none) */
    public ProgressOverlay(String cancelId) {
        super(4);
        bar.setMaxWidth(Double.MAX_VALUE);
        text.getStyleClass().add("muted");
        cancel.getStyleClass().add("small");
        cancel.setId(cancelId);
        HBox row = new HBox(6, bar, cancel);
        row.setAlignment(Pos.CENTER);
        HBox.setHgrow(bar, Priority.ALWAYS);
        getChildren().addAll(text, row);
        getStyleClass().add("panel-progress");
        setMaxHeight(Region.USE_PREF_SIZE);
        setMaxWidth(240);
        setVisible(false);
    }

    /** Shows {@code fraction} in [0, 1] (negative: unknown) of step {@code what}; {@code null} hides the overlay. */
    public void show(Double fraction, String what) {
        setVisible(fraction != null);
        if (fraction != null) {
            bar.setProgress(fraction < 0 ? -1 : fraction);
            text.setText(LegendPresenter.progress(fraction, what));
        }
    }

    public void setOnCancel(Runnable action) {
        cancel.setOnAction(e -> action.run());
    }
}
