package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Method lists and method knobs as the command line gives them (no model needed). */
class MethodOptionsTest {

    private static ExplainCommand parse(String... args) {
        ExplainCommand cmd = new ExplainCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd;
    }

    @Test
    void methodsComeCommaSeparatedRepeatedOrAsAll() {
        assertThat(MethodOptions.parse(List.of("saliency,gradcam++", "ig"))).containsExactlyInAnyOrder(
                Method.SALIENCY, Method.GRADCAM_PLUS_PLUS, Method.INTEGRATED_GRADIENTS);
        assertThat(MethodOptions.parse(List.of("all"))).isEqualTo(EnumSet.allOf(Method.class));
        assertThat(MethodOptions.asksForAll(List.of("saliency,ALL"))).isTrue();
        assertThatThrownBy(() -> MethodOptions.parse(List.of("saliency,gradkam")))
                .hasMessageContaining("unknown method 'gradkam'").hasMessageContaining("occlusion");
    }

    @Test
    void knobsBecomeMethodSettingsAndTheRestKeepTheDefaults() {
        MethodSettings s = parse("--model", "m", "--out", "o", "--sg-sigma", "0.2", "--sg-samples", "8", "--sg-seed",
                "7", "--sg-squared", "--ig-baseline", "blurred", "--ig-steps", "32", "--ig-quadrature",
                "riemann-trapezoid", "--occlusion-window", "12", "--occlusion-stride", "4", "--occlusion-fill", "black",
                "--batch-size", "4", "x.png").methodOptions.settings();
        assertThat(s.smoothGrad()).isEqualTo(new MethodSettings.SmoothGrad(0.2, 8, 7, true));
        assertThat(s.integratedGradients()).isEqualTo(new MethodSettings.IntegratedGradients(
                MethodSettings.Baseline.BLURRED, 32, MethodSettings.Quadrature.RIEMANN_TRAPEZOID));
        assertThat(s.occlusion()).isEqualTo(new MethodSettings.Occlusion(12, 4, MethodSettings.Fill.BLACK));
        assertThat(s.batchSize()).isEqualTo(4);
        assertThat(parse("--model", "m", "--out", "o", "--ig-steps", "10", "x.png").methodOptions.settings())
                .isEqualTo(MethodSettings.DEFAULTS.withIntegratedGradients(new MethodSettings.IntegratedGradients(
                        MethodSettings.Baseline.MEAN, 10, MethodSettings.Quadrature.GAUSS_LEGENDRE)));
    }

    @Test
    void gradCamPlusPlusEpsilonReproducesPytorchGradCamAndEntersTheDescription() {
        MethodSettings s = parse("--model", "m", "--out", "o", "--gradcampp-eps", "1e-6", "x.png").methodOptions.settings();
        assertThat(s).isEqualTo(MethodSettings.DEFAULTS.withGradCamPlusPlusEpsilon(MethodSettings.PYTORCH_GRAD_CAM_EPSILON));
        assertThat(s.describe(Method.GRADCAM_PLUS_PLUS)).containsEntry("epsilon", 1e-6);
        assertThat(MethodSettings.DEFAULTS.describe(Method.GRADCAM_PLUS_PLUS)).containsEntry("epsilon", 0.0);
        assertThat(s.describe(Method.GRADCAM)).doesNotContainKey("epsilon");
        assertThat(new MethodSettings(MethodSettings.SmoothGrad.DEFAULTS, MethodSettings.IntegratedGradients.DEFAULTS,
                MethodSettings.Occlusion.DEFAULTS, 16)).isEqualTo(MethodSettings.DEFAULTS);
        assertThatThrownBy(() -> parse("--model", "m", "--gradcampp-eps", "-1", "x.png").methodOptions.settings())
                .hasMessageContaining("Grad-CAM++ epsilon must be finite and >= 0");
    }

    @Test
    void scoreCamWeightsCanFollowPytorchGradCam() {
        MethodSettings s = parse("--model", "m", "--out", "o", "--scorecam-weights", "channel-softmax", "x.png")
                .methodOptions.settings();
        assertThat(s.scoreCamWeights()).isEqualTo(MethodSettings.ScoreCamWeights.CHANNEL_SOFTMAX);
        assertThat(s.describe(Method.SCORECAM)).containsEntry("weights", "channel-softmax");
        assertThat(MethodSettings.DEFAULTS.describe(Method.SCORECAM)).containsEntry("weights", "probability");
        assertThat(s).isNotEqualTo(MethodSettings.DEFAULTS);
        assertThatThrownBy(() -> parse("--model", "m", "--scorecam-weights", "logit", "x.png").methodOptions.settings())
                .hasMessageStartingWith("--scorecam-weights must be one of");
    }

    @Test
    void badKnobsSayWhatIsAllowed() {
        assertThatThrownBy(() -> parse("--model", "m", "--ig-baseline", "purple", "x.png").methodOptions.settings())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--ig-baseline must be one of mean, black, blurred, got 'purple'");
        assertThatThrownBy(() -> parse("--model", "m", "--sg-samples", "0", "x.png").methodOptions.settings())
                .hasMessageContaining("SmoothGrad needs");
        assertThatThrownBy(() -> parse("--model", "m", "--batch-size", "0", "x.png").methodOptions.settings())
                .hasMessageContaining("batch size must be at least 1");
    }

    @Test
    void layerMethodsAreDroppedFromAllOnAModelWithoutTaps() {
        StringWriter err = new StringWriter();
        assertThat(MethodOptions.forModel(EnumSet.allOf(Method.class), true, false, "plain", new PrintWriter(err, true)))
                .containsExactlyInAnyOrder(Method.SALIENCY, Method.SMOOTHGRAD, Method.INTEGRATED_GRADIENTS,
                        Method.INPUT_X_GRADIENT, Method.OCCLUSION);
        assertThat(err.toString()).contains("skipping gradcam, gradcam++");
        assertThatThrownBy(() -> MethodOptions.forModel(EnumSet.of(Method.SCORECAM), false, false, "plain",
                new PrintWriter(err))).hasMessageStartingWith("Model 'plain' has no layer taps, so scorecam is not available");
    }

    @Test
    void attentionMethodsAreRefusedOrDroppedOnAModelWithoutAttentionMaps() {
        StringWriter err = new StringWriter();
        assertThat(MethodOptions.forModel(EnumSet.allOf(Method.class), true, true, false, "cnn",
                new PrintWriter(err, true))).doesNotContain(Method.ROLLOUT, Method.GRAD_ROLLOUT).contains(Method.GRADCAM);
        assertThat(err.toString()).contains("note: model 'cnn' exposes no attention maps; skipping rollout, gradrollout");
        assertThatThrownBy(() -> MethodOptions.forModel(EnumSet.of(Method.SALIENCY, Method.ROLLOUT), false, true, false,
                "cnn", new PrintWriter(err))).hasMessageStartingWith("Model 'cnn' exposes no attention maps, so rollout "
                        + "is not available: attention rollout needs a vision transformer exported with them");
        assertThat(MethodOptions.forModel(EnumSet.of(Method.ROLLOUT, Method.GRAD_ROLLOUT), false, true, true, "vit",
                new PrintWriter(err))).containsExactlyInAnyOrder(Method.ROLLOUT, Method.GRAD_ROLLOUT);
        assertThat(Method.fromId("gradrollout")).isEqualTo(Method.GRAD_ROLLOUT);
    }

    @Test
    void benchAndEvaluateRejectAnUnknownMethodBeforeLoadingTheModel() {
        CliRun bench = CliRun.of("bench", "--model", "models/shapes", "--methods", "saliency,gradkam");
        assertThat(bench.exitCode()).isEqualTo(Main.USAGE);
        assertThat(bench.err()).contains("unknown method 'gradkam'; choose one of saliency, gradcam");
        CliRun evaluate = CliRun.of("evaluate", "--model", "models/shapes", "--pixels-per-step", "-1", "x.png");
        assertThat(evaluate.exitCode()).isEqualTo(Main.USAGE);
        assertThat(evaluate.err()).contains("--pixels-per-step must be 0 (one row) or more");
    }

    @Test
    void signedMapsAreSavedAsRawOverTheirLargestMagnitude() {
        Heatmap signed = MapMath.signed(new float[] {-4, 2, 0, 1}, 2, 2);
        assertThat(ExplanationWriter.signedValues(signed)).containsExactly(-1f, 0.5f, 0f, 0.25f);
    }
}
