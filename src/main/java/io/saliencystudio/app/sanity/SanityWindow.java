package io.saliencystudio.app.sanity;

import io.saliencystudio.app.FxImages;
import io.saliencystudio.app.Theme;
import io.saliencystudio.app.explain.DisplaySettings;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.sanity.SanityReport;
import io.saliencystudio.engine.sanity.SanityStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * The sanity check's window: progress and Cancel while it runs, then one row per method: a strip of maps (the
 * original model, then one more layer group randomised per column, top first), the Spearman rank correlation and
 * SSIM to the original under each, and a flag on methods whose maps do not change.
 */
public final class SanityWindow {

    static final int THUMB = 84;

    private final SanityViewModel vm;
    private final DisplaySettings display;
    private final Stage stage = new Stage();
    private final Label heading = new Label();
    private final Label status = new Label();
    private final ProgressBar bar = new ProgressBar(-1);
    private final Button cancel = new Button("Cancel");
    private final GridPane strips = new GridPane();
    private final List<Label> flags = new ArrayList<>();

    public SanityWindow(SanityViewModel vm, DisplaySettings display, Window owner) {
        this.vm = vm;
        this.display = display;
        stage.initOwner(owner);
        stage.setTitle("Sanity check — cascading randomisation");
        heading.setWrapText(true);
        heading.getStyleClass().add("title-4");
        Label about = new Label("Each column randomises one more layer group of a private copy of the model, from "
                + "the top down (Adebayo et al. 2018). An explanation that depends on what the model learned changes "
                + "as its weights go; a method whose maps stay alike is flagged: it fails the check.");
        about.setWrapText(true);
        about.getStyleClass().add("muted");
        status.setId("sanity-status");
        status.setWrapText(true);
        cancel.setId("sanity-cancel");
        cancel.setOnAction(e -> vm.cancel());
        bar.setPrefWidth(260);
        HBox progressRow = new HBox(8, bar, cancel, status);
        progressRow.setAlignment(Pos.CENTER_LEFT);
        progressRow.visibleProperty().bind(vm.runningProperty().or(status.textProperty().isNotEmpty()));
        bar.visibleProperty().bind(vm.runningProperty());
        cancel.visibleProperty().bind(vm.runningProperty());
        bar.progressProperty().bind(vm.progressProperty());
        status.textProperty().bind(vm.messageProperty());
        strips.setId("sanity-strips");
        strips.setHgap(8);
        strips.setVgap(10);
        ScrollPane scroll = new ScrollPane(strips);
        scroll.setFitToWidth(false);
        VBox top = new VBox(6, heading, about, progressRow);
        top.setPadding(new Insets(12));
        BorderPane root = new BorderPane(scroll);
        root.setTop(top);
        BorderPane.setMargin(scroll, new Insets(0, 12, 12, 12));
        Scene scene = new Scene(root, 980, 560);
        Theme.style(scene);
        stage.setScene(scene);
        vm.reportProperty().addListener((o, was, now) -> showReport());
        vm.subjectProperty().addListener((o, was, now) -> updateHeading());
        updateHeading();
        showReport();
    }

    public void show() {
        stage.show();
        stage.toFront();
    }

    private void updateHeading() {
        ExplainOutcome s = vm.subjectProperty().get();
        heading.setText(s == null ? "Sanity check" : String.format(Locale.ROOT, "%s · “%s” · %s · seed %d",
                s.query().image().name(), s.target().label(), s.query().model().manifest().name(),
                SanityViewModel.SEED));
    }

    private void showReport() {
        strips.getChildren().clear();
        flags.clear();
        SanityReport r = vm.reportProperty().get();
        if (r == null) {
            return;
        }
        List<SanityStep> steps = r.steps();
        for (int s = 0; s < steps.size(); s++) {
            List<String> rnd = steps.get(s).randomized();
            Label h = new Label(s == 0 ? "original" : "+ " + rnd.get(rnd.size() - 1));
            h.getStyleClass().add("muted");
            h.setMaxWidth(THUMB);
            h.setTooltip(new Tooltip(s == 0 ? "The trained model" : "Randomised: " + String.join(", ", rnd)));
            strips.add(h, s + 1, 0);
        }
        int row = 1;
        for (Map.Entry<Method, Boolean> e : r.flagged().entrySet()) {
            Method m = e.getKey();
            boolean flagged = Boolean.TRUE.equals(e.getValue());
            Label name = new Label(m.displayName());
            name.getStyleClass().add("panel-title");
            Label flag = new Label(flagText(flagged, r.threshold()));
            flag.setId("sanity-flag-" + m.id());
            flag.getStyleClass().add(flagged ? "headline-bad" : "headline-ok");
            flag.setWrapText(true);
            flag.setMaxWidth(170);
            flags.add(flag);
            VBox head = new VBox(4, name, flag);
            head.setMinWidth(170);
            head.setMaxWidth(170);
            strips.add(head, 0, row);
            for (int s = 0; s < steps.size(); s++) {
                strips.add(cell(steps.get(s), m, s == 0), s + 1, row);
            }
            row++;
        }
    }

    /** The flag's words; public for tests. */
    public static String flagText(boolean flagged, double threshold) {
        return flagged ? String.format(Locale.ROOT, "⚠ Fails: maps do not change (ρ > %.2f when fully randomised)",
                threshold) : "✓ Passes: maps change with the weights";
    }

    private VBox cell(SanityStep step, Method m, boolean original) {
        Heatmap h = step.maps().get(m);
        ImageView view = new ImageView();
        if (h != null) {
            Colormap cm = h.signed() ? DisplaySettings.SIGNED_COLORMAP : display.colormapProperty().get();
            view.setImage(FxImages.of(h.values(), h.width(), h.height(), cm));
        }
        view.setFitWidth(THUMB);
        view.setFitHeight(THUMB);
        view.setPreserveRatio(true);
        view.setSmooth(false);
        Double rho = step.spearman().get(m);
        Double ssim = step.ssim().get(m);
        Label l = new Label(original ? "reference" : String.format(Locale.ROOT, "ρ %s\nSSIM %s", num(rho), num(ssim)));
        l.getStyleClass().add("muted");
        return new VBox(2, view, l);
    }

    private static String num(Double v) {
        return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** The flag labels shown, one per method in report order (for tests). */
    public List<String> flagTexts() {
        return flags.stream().map(Label::getText).toList();
    }

    public Stage stage() {
        return stage;
    }
}
