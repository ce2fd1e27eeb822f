package io.saliencystudio.app.explain;

import io.saliencystudio.app.images.GroundTruth;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.ModelManifest;
import java.util.Locale;
import javafx.geometry.Rectangle2D;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;
import javafx.scene.text.TextFlow;

/**
 * Original | saliency | Grad-CAM side by side, with a headline saying what is explained. Binds to the
 * {@link ExplainViewModel}; panels share the {@link Viewport} (zoom, pan, hover) and the {@link DisplaySettings}.
 */
public final class PanelsView extends VBox {

    private final ExplainViewModel vm;
    private final MapPanel original;
    private final MapPanel saliency;
    private final MapPanel gradCam;
    private final TextFlow headline = new TextFlow();

    public PanelsView(ExplainViewModel vm, DisplaySettings display, Viewport viewport) {
        this.vm = vm;
        getStyleClass().add("panels-view");
        original = new MapPanel("Model input", null, display, viewport);
        saliency = new MapPanel("Saliency", Method.SALIENCY, display, viewport);
        gradCam = new MapPanel("Grad-CAM", Method.GRADCAM, display, viewport);
        GridPane grid = new GridPane();
        grid.getStyleClass().add("panels-grid");
        grid.setHgap(12);
        for (int i = 0; i < 3; i++) {
            ColumnConstraints c = new ColumnConstraints();
            c.setPercentWidth(100.0 / 3);
            c.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(c);
        }
        RowConstraints row = new RowConstraints();
        row.setVgrow(Priority.ALWAYS);
        grid.getRowConstraints().add(row);
        grid.addRow(0, original, saliency, gradCam);
        VBox.setVgrow(grid, Priority.ALWAYS);
        headline.getStyleClass().add("headline");
        headline.setId("headline");
        getChildren().addAll(headline, grid);
        vm.outcomeProperty().addListener((o, was, now) -> update());
        vm.problemProperty().addListener((o, was, now) -> update());
        vm.truthProperty().addListener((o, was, now) -> update());
        vm.busyProperty().addListener((o, was, now) -> {
            saliency.setBusy(now);
            gradCam.setBusy(now);
        });
        update();
    }

    private void update() {
        ExplainOutcome out = vm.outcome();
        if (out == null) {
            String why = vm.problemProperty().get();
            String text = why != null ? why : vm.imageProperty().get() == null
                    ? "Drop images or folders here, or use File > Open images…" : "Explaining…";
            original.showMessage(why != null ? why : text);
            saliency.showMessage(null);
            gradCam.showMessage(null);
            setHeadline(why != null ? "Cannot explain this image" : "", null, null);
            return;
        }
        ModelManifest manifest = out.query().model().manifest();
        InputSpec spec = manifest.input();
        original.show(out.seen(), null, String.format(Locale.ROOT, "%d×%d %s, from a %d×%d file", spec.width(),
                spec.height(), spec.colorMode() == InputSpec.ColorMode.GRAY ? "grey" : "RGB", out.sourceWidth(),
                out.sourceHeight()), null);
        Heatmap sal = out.map(Method.SALIENCY);
        saliency.show(out.seen(), sal, "Σ over channels of |∂ logit / ∂ pixel| · per map", null);
        MethodResult cam = out.result(Method.GRADCAM);
        if (cam == null) {
            gradCam.show(out.seen(), null, " ", "This model has no layer taps, so Grad-CAM is not available "
                    + "(saliency works). Re-export it with models/tools/export.py to add them.");
        } else {
            LayerTap tap = manifest.tap(cam.layer()).orElse(null);
            String shape = tap == null ? "" : " · " + tap.shapeText().replace("x", "×");
            String blank = blankMessage(cam, out.target());
            gradCam.show(out.seen(), cam.map(), cam.layer() + shape + " · upsampled bilinear · per map", blank);
        }
        Rectangle2D box = box(out);
        original.setBox(box);
        saliency.setBox(box);
        gradCam.setBox(box);
        setHeadline(null, out.target(), out);
    }

    /** Why a Grad-CAM map carries no information, in words; {@code null} when it does. */
    static String blankMessage(MethodResult cam, ClassScore target) {
        if (!cam.map().isBlank()) {
            return null;
        }
        Heatmap layerMap = cam.layerMap();
        if (layerMap != null && layerMap.width() * layerMap.height() == 1) {
            return "Grad-CAM at " + cam.layer() + " is a single value (a 1×1 map): it cannot show where the model "
                    + "looks. Pick an earlier layer.";
        }
        if (cam.map().rawMax() <= 0) {
            return "Grad-CAM is all zero for “" + target.label() + "” at " + cam.layer() + ": no channel has positive "
                    + "weighted evidence after ReLU. Try a deeper layer or another class.";
        }
        return "Grad-CAM is constant for “" + target.label() + "” at " + cam.layer() + ": nothing to localise. "
                + "Try another layer or class.";
    }

    private Rectangle2D box(ExplainOutcome out) {
        GroundTruth t = vm.truthProperty().get();
        if (t == null || !t.hasBox() || out.sourceWidth() <= 0) {
            return null;
        }
        ModelManifest m = out.query().model().manifest();
        return BoxMapping.toSeen(t.box(), out.sourceWidth(), out.sourceHeight(), m.input(), m.preprocessing());
    }

    private void setHeadline(String plain, ClassScore target, ExplainOutcome out) {
        headline.getChildren().clear();
        if (target == null) {
            if (plain != null && !plain.isEmpty()) {
                headline.getChildren().add(styled(plain, "headline-muted"));
            }
            return;
        }
        int rank = out.prediction().top(out.prediction().numClasses()).stream()
                .map(ClassScore::index).toList().indexOf(target.index()) + 1;
        headline.getChildren().addAll(styled("Explaining ", "headline-muted"), styled(target.label(), "headline-class"),
                styled(String.format(Locale.ROOT, "  p = %.1f%% · rank %d of %d · logit %.2f",
                        target.probability() * 100, rank, out.prediction().numClasses(), target.logit()),
                        "headline-muted"));
        GroundTruth t = vm.truthProperty().get();
        if (t != null) {
            boolean hit = t.label().equalsIgnoreCase(out.prediction().score(out.prediction().top1()).label());
            headline.getChildren().addAll(styled("   true: ", "headline-muted"),
                    styled(t.label() + (hit ? " ✓ predicted" : " ✗ predicted " + out.prediction().score(
                            out.prediction().top1()).label()), hit ? "headline-ok" : "headline-bad"));
        }
    }

    private static Text styled(String s, String style) {
        Text t = new Text(s);
        t.getStyleClass().add(style);
        return t;
    }

    public MapPanel original() {
        return original;
    }

    public MapPanel saliency() {
        return saliency;
    }

    public MapPanel gradCam() {
        return gradCam;
    }

    /** The headline as plain text (for tests). */
    public String headlineText() {
        StringBuilder sb = new StringBuilder();
        headline.getChildren().forEach(n -> sb.append(((Text) n).getText()));
        return sb.toString();
    }
}
