package io.saliencystudio.app.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.images.GroundTruth;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.service.ExplainQuery;
import io.saliencystudio.app.service.ImageSource;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.InputSpec;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

/** The panels' words and numbers, without a scene. */
class PanelsPresenterTest {

    private static final Prediction PREDICTION = Prediction.fromLogits(new float[] {1f, 3f, 2f},
            i -> List.of("cat", "dog", "fox").get(i));

    private static Heatmap map(float... raw) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : raw) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new Heatmap(2, 2, raw, raw.clone(), lo, hi);
    }

    private static ExplainOutcome outcome(Map<Method, MethodResult> results, Set<Method> pending,
            Map<Method, String> failures) {
        ExplainQuery q = new ExplainQuery(ImageSource.of(Path.of("a.png")), null, null, null,
                EnumSet.of(Method.SALIENCY, Method.SMOOTHGRAD), MethodSettings.DEFAULTS);
        return new ExplainOutcome(q, RgbImage.blank(2, 2), 2, 2, PREDICTION, PREDICTION.score(1), results, 5, false,
                pending, failures);
    }

    @Test
    void beforeAnOutcomeTheInputPanelSaysWhatToDoOrWhatWentWrong() {
        assertThat(PanelsPresenter.inputMessage(null, false))
                .isEqualTo("Drop images or folders here, or use File > Open images…");
        assertThat(PanelsPresenter.inputMessage(null, true)).isEqualTo("Explaining…");
        assertThat(PanelsPresenter.inputMessage("truncated.png is not an image", true))
                .isEqualTo("truncated.png is not an image");
        assertThat(PanelsPresenter.headline((String) null)).isEmpty();
        assertThat(PanelsPresenter.headline("broken")).containsExactly(
                new PanelsPresenter.Segment("Cannot explain this image", "headline-muted"));
    }

    @Test
    void theHeadlineNamesClassProbabilityRankLogitAndTheTruth() {
        ClassScore fox = PREDICTION.score(2);
        var plain = PanelsPresenter.headline(PREDICTION, fox, null);
        assertThat(plain).extracting(PanelsPresenter.Segment::style)
                .containsExactly("headline-muted", "headline-class", "headline-muted");
        assertThat(PanelsPresenter.text(plain)).isEqualTo(String.format(java.util.Locale.ROOT,
                "Explaining fox  p = %.1f%% · rank 2 of 3 · logit 2.00", fox.probability() * 100));

        var right = PanelsPresenter.headline(PREDICTION, fox, new GroundTruth("Dog", null));
        assertThat(right.get(4)).isEqualTo(new PanelsPresenter.Segment("Dog ✓ predicted", "headline-ok"));
        var wrong = PanelsPresenter.headline(PREDICTION, fox, new GroundTruth("cat", null));
        assertThat(wrong.get(3).text()).isEqualTo("   true: ");
        assertThat(wrong.get(4)).isEqualTo(new PanelsPresenter.Segment("cat ✗ predicted dog", "headline-bad"));
    }

    @Test
    void rankCountsFromOneForTheTopClass() {
        assertThat(PanelsPresenter.rank(PREDICTION, 1)).isEqualTo(1);
        assertThat(PanelsPresenter.rank(PREDICTION, 2)).isEqualTo(2);
        assertThat(PanelsPresenter.rank(PREDICTION, 0)).isEqualTo(3);
    }

    @Test
    void theInputCaptionSaysWhatTheModelSeesAndTheFileSize() {
        assertThat(PanelsPresenter.inputCaption(new InputSpec(3, 224, 224, InputSpec.ColorMode.RGB), 640, 480))
                .isEqualTo("224×224 RGB, from a 640×480 file");
        assertThat(PanelsPresenter.inputCaption(new InputSpec(1, 28, 28, InputSpec.ColorMode.GRAY), 28, 28))
                .isEqualTo("28×28 grey, from a 28×28 file");
    }

    @Test
    void aMethodPanelShowsItsMapAFailureOrWaits() {
        MethodResult saliency = new MethodResult(Method.SALIENCY, map(0, 1, 2, 3), null, null, 1);
        ExplainOutcome out = outcome(Map.of(Method.SALIENCY, saliency), Set.of(Method.SMOOTHGRAD), Map.of());
        var shown = PanelsPresenter.methodContent(Method.SALIENCY, out, null, true, false);
        assertThat(shown.kind()).isEqualTo(PanelsPresenter.MethodContent.Kind.MAP);
        assertThat(shown.map()).isSameAs(saliency.map());
        assertThat(shown.caption()).isEqualTo("Σ over channels of |∂ logit / ∂ pixel|");
        assertThat(shown.message()).isNull();
        // SmoothGrad is still computing: a new image waits, a map of the same image stays up.
        assertThat(PanelsPresenter.methodContent(Method.SMOOTHGRAD, out, null, true, false).kind())
                .isEqualTo(PanelsPresenter.MethodContent.Kind.WAITING);
        assertThat(PanelsPresenter.methodContent(Method.SMOOTHGRAD, out, null, true, true).kind())
                .isEqualTo(PanelsPresenter.MethodContent.Kind.KEEP);

        ExplainOutcome failed = outcome(Map.of(Method.SALIENCY, saliency), Set.of(),
                Map.of(Method.SMOOTHGRAD, "Cancelled."));
        var cancelled = PanelsPresenter.methodContent(Method.SMOOTHGRAD, failed, null, true, true);
        assertThat(cancelled.kind()).isEqualTo(PanelsPresenter.MethodContent.Kind.MESSAGE);
        assertThat(cancelled.message()).isEqualTo("Cancelled.");
        // Done and not pending: nothing to keep.
        assertThat(PanelsPresenter.methodContent(Method.OCCLUSION, failed, null, true, true).kind())
                .isEqualTo(PanelsPresenter.MethodContent.Kind.WAITING);

        var noTaps = PanelsPresenter.methodContent(Method.GRADCAM, out, null, false, false);
        assertThat(noTaps.kind()).isEqualTo(PanelsPresenter.MethodContent.Kind.MESSAGE);
        assertThat(noTaps.message()).isEqualTo("This model has no layer taps, so Grad-CAM is not available "
                + "(saliency works). Re-export it with models/tools/export.py to add them.");
    }

    @Test
    void pixelMethodCaptionsListTheirSettings() {
        MethodResult sg = new MethodResult(Method.SMOOTHGRAD, map(0, 1, 2, 3), null, null, 1,
                new java.util.LinkedHashMap<>(Map.of("sigma", 0.15)));
        assertThat(PanelsPresenter.caption(sg, null)).isEqualTo("sigma 0.150");
        MethodResult none = new MethodResult(Method.OCCLUSION, map(0, 1, 2, 3), null, null, 1);
        assertThat(PanelsPresenter.caption(none, null)).isEqualTo(" ");
    }

    @Test
    void layerMapCaptionsSayHowTheMapWasPlacedAndWarnFirst() {
        MethodResult centred = new MethodResult(Method.GRADCAM, map(0, 1, 2, 3), map(0, 1, 2, 3), "layer4", 1,
                Map.of("upsampling", "receptive-field"));
        assertThat(PanelsPresenter.caption(centred, null)).isEqualTo("layer4 · cells at receptive-field centres");
        MethodResult plain = new MethodResult(Method.GRADCAM, map(0, 1, 2, 3), map(0, 1, 2, 3), "layer4", 1,
                Map.of("upsampling", "bilinear (no receptive field recorded for this layer)"));
        assertThat(PanelsPresenter.caption(plain, null)).isEqualTo("layer4 · upsampled bilinear");
        MethodResult unstable = new MethodResult(Method.GRADCAM_PLUS_PLUS, map(0, 1, 2, 3), map(0, 1, 2, 3),
                "layer4.0.bn2", 1, Map.of("upsampling", "bilinear", "warning", "Unstable weights: 3 of 8 cells …"));
        assertThat(PanelsPresenter.caption(unstable, null))
                .isEqualTo("⚠ Unstable weights: 3 of 8 cells … · layer4.0.bn2 · upsampled bilinear");
    }

    @Test
    void aBlankPixelMapSaysItIsConstant() {
        MethodResult flat = new MethodResult(Method.SALIENCY, map(1, 1, 1, 1), null, null, 1);
        assertThat(PanelsPresenter.blankMessage(flat, PREDICTION.score(0)))
                .isEqualTo("Saliency is constant for “cat”: nothing to show. Try another class.");
        assertThat(PanelsPresenter.blankMessage(new MethodResult(Method.SALIENCY, map(0, 1, 1, 1), null, null, 1),
                PREDICTION.score(0))).isNull();
    }

    @Test
    void thePointingGameAsksForAMapAndABox() {
        Heatmap peakTopLeft = map(9, 0, 0, 0);
        assertThat(PanelsPresenter.pointingHit(peakTopLeft, new Rectangle2D(0, 0, 1, 1))).isTrue();
        assertThat(PanelsPresenter.pointingHit(map(0, 0, 0, 9), new Rectangle2D(0, 0, 0.5, 0.5))).isFalse();
        assertThat(PanelsPresenter.pointingHit(peakTopLeft, null)).isNull();
        assertThat(PanelsPresenter.pointingHit(null, new Rectangle2D(0, 0, 1, 1))).isNull();
        assertThat(PanelsPresenter.pointingHit(map(1, 1, 1, 1), new Rectangle2D(0, 0, 1, 1))).isNull();
    }

    @Test
    void aSharedScaleIsTheUnionOfTheUnsignedRangesAndOneSymmetricForSigned() {
        Heatmap a = map(0, 1, 2, 4);
        Heatmap b = map(-1, 0, 1, 2);
        float[] s = {-3, 0, 1, 2};
        Heatmap signed = new Heatmap(2, 2, s, s.clone(), -3, 2, true);
        Heatmap blank = map(5, 5, 5, 5);
        List<Heatmap> maps = java.util.Arrays.asList(a, null, b, signed, blank);
        assertThat(PanelsPresenter.sharedRanges(maps, false, MapScaling.MIN_MAX)).containsOnlyNulls().hasSize(5);
        var ranges = PanelsPresenter.sharedRanges(maps, true, MapScaling.MIN_MAX);
        assertThat(ranges).containsExactly(new MapScaling.Range(-1, 4), null, new MapScaling.Range(-1, 4),
                new MapScaling.Range(-3, 3), null);
    }

    @Test
    void theAddMenuExplainsWhyAMethodIsUnavailable() {
        var ok = PanelsPresenter.addMethodItem(Method.GRADCAM, true, "ResNet-18");
        assertThat(ok.text()).isEqualTo("Grad-CAM");
        assertThat(ok.tooltip()).isEqualTo(MethodInfo.tooltip(Method.GRADCAM));
        var not = PanelsPresenter.addMethodItem(Method.GRADCAM, false, "ResNet-18");
        assertThat(not.available()).isFalse();
        assertThat(not.text()).isEqualTo("Grad-CAM  (needs layer taps)");
        assertThat(not.tooltip()).isEqualTo("Grad-CAM reads a layer's activations, and ResNet-18 was exported "
                + "without layer taps. Re-export it with models/tools/export.py to add them.");
        assertThat(PanelsPresenter.addMethodItem(Method.GRADCAM, false, null).tooltip()).contains("and this model was");
        assertThat(PanelsPresenter.protocolCaption("10 px/step")).isEqualTo("Protocol: 10 px/step");
        var rollout = PanelsPresenter.addMethodItem(Method.ROLLOUT, false, "ResNet-18");
        assertThat(rollout.available()).isFalse();
        assertThat(rollout.text()).isEqualTo("Attention rollout  (needs a vision transformer exported with attention "
                + "maps)");
        assertThat(rollout.tooltip()).startsWith("Attention rollout reads a vision transformer's attention maps, and "
                + "ResNet-18 exposes none");
        assertThat(Method.ROLLOUT.availableOn(true, false)).isFalse();
        assertThat(Method.GRAD_ROLLOUT.availableOn(false, true)).isTrue();
        assertThat(Method.GRADCAM.availableOn(true, false)).isTrue();
    }
}
