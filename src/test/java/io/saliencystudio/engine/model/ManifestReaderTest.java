package io.saliencystudio.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.saliencystudio.engine.model.InputSpec.ColorMode;
import io.saliencystudio.engine.model.Preprocessing.ResizePolicy;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {

    /** The smallest manifest the reader accepts: everything else has a default. */
    static final String MINIMAL = """
            {
              "id": "tiny",
              "name": "Tiny",
              "input": {"channels": 3, "height": 32, "width": 48},
              "preprocessing": {"mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}
            }
            """;

    /** The example of models/FORMAT.md (abridged). */
    static final String FULL = """
            {
              "format": 1,
              "id": "shapes",
              "name": "Shapes (synthetic)",
              "description": "one sentence for the model picker",
              "file": "model.pt",
              "sha256": "00ff",
              "labels": "synset.txt",
              "numClasses": 6,
              "input": {"channels": 3, "height": 96, "width": 96, "colorMode": "RGB"},
              "preprocessing": {
                "resize": "shorter-center-crop",
                "resizeShorter": 110,
                "scale": 255.0,
                "mean": [0.485, 0.456, 0.406],
                "std": [0.229, 0.224, 0.225]
              },
              "taps": [
                {"index": 0, "names": ["conv1"], "shape": [16, 48, 48]},
                {"index": 12, "names": ["layer4.0.relu#2", "layer4.0", "layer4"], "shape": [128, 6, 6]}
              ],
              "defaultLayer": "layer4",
              "methods": {"forward": "forward", "tap": "forward_tap"},
              "provenance": {"architecture": "resnet-ish", "accuracy": {"metric": "top1", "value": 0.93}, "note": null}
            }
            """;

    private static ModelManifest parse(String json) throws ModelPackageException {
        return ManifestReader.parse(json, "m.json");
    }

    /** MINIMAL with {@code from} replaced by {@code to} (which must occur). */
    private static String minimalWith(String from, String to) {
        assertThat(MINIMAL).contains(from);
        return MINIMAL.replace(from, to);
    }

    /** A field error: the message names the field and ends with what to do ({@link ManifestReader#FIX_HINT}). */
    private static void assertRefused(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ModelPackageException.class)
                .hasMessage(message + ManifestReader.FIX_HINT);
    }

    private static void assertRefusedExactly(String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ModelPackageException.class).hasMessage(message);
    }

    @Test
    void minimalManifestGetsTheDocumentedDefaults() throws Exception {
        ModelManifest m = parse(MINIMAL);

        assertThat(m.id()).isEqualTo("tiny");
        assertThat(m.name()).isEqualTo("Tiny");
        assertThat(m.description()).isEmpty();
        assertThat(m.file()).isEqualTo("model.pt");
        assertThat(m.sha256()).isNull();
        assertThat(m.labelsFile()).isEqualTo("synset.txt");
        assertThat(m.input()).isEqualTo(new InputSpec(3, 32, 48, ColorMode.RGB));
        assertThat(m.input().size()).isEqualTo(3 * 32 * 48);
        assertThat(m.preprocessing()).isEqualTo(new Preprocessing(ResizePolicy.STRETCH, null, 255.0,
                new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25}));
        assertThat(m.taps()).isEmpty();
        assertThat(m.defaultLayer()).isNull();
        assertThat(m.forwardMethod()).isEqualTo("forward");
        assertThat(m.tapMethod()).isNull();
        assertThat(m.hasTaps()).isFalse();
        assertThat(m.provenance()).isEmpty();
        assertThat(m.attention()).isNull();
        assertThat(m.hasAttention()).isFalse();
    }

    @Test
    void attentionMapsAreReadAndChecked() throws Exception {
        String attention = "\"attention\": {\"method\": \"forward_attention\", \"layers\": 12, \"heads\": 12, "
                + "\"tokens\": 197, \"prefixTokens\": 1, \"grid\": [14, 14], \"modules\": [\"a\", \"b\"]}";
        ModelManifest m = parse(MINIMAL.replaceFirst("\\{", "{" + attention + ","));
        assertThat(m.hasAttention()).isTrue();
        assertThat(m.attention()).isEqualTo(new AttentionSpec("forward_attention", 12, 12, 197, 1, 14, 14,
                java.util.List.of("a", "b")));
        assertThat(m.attention().size()).isEqualTo(12 * 12 * 197 * 197);
        assertThatThrownBy(() -> parse(MINIMAL.replaceFirst("\\{", "{" + attention.replace("197", "196") + ",")))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("attention.tokens (196) must equal");
    }

    @Test
    void fullManifestIsReadFieldByField() throws Exception {
        ModelManifest m = parse(FULL);

        assertThat(m.description()).isEqualTo("one sentence for the model picker");
        assertThat(m.sha256()).isEqualTo("00ff");
        assertThat(m.preprocessing().resize()).isEqualTo(ResizePolicy.SHORTER_CENTER_CROP);
        assertThat(m.preprocessing().resizeShorter()).isEqualTo(110);
        assertThat(m.preprocessing().mean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(m.preprocessing().std()).containsExactly(0.229, 0.224, 0.225);
        assertThat(m.taps()).hasSize(2);
        assertThat(m.taps().get(1).index()).isEqualTo(12);
        assertThat(m.taps().get(1).names()).containsExactly("layer4.0.relu#2", "layer4.0", "layer4");
        assertThat(m.taps().get(1).shapeText()).isEqualTo("128x6x6");
        assertThat(m.defaultLayer()).isEqualTo("layer4");
        assertThat(m.tapMethod()).isEqualTo("forward_tap");
        assertThat(m.hasTaps()).isTrue();
        assertThat(m.provenance()).containsEntry("architecture", "resnet-ish").containsEntry("note", null);
        assertThat(m.provenance().get("accuracy")).isEqualTo(Map.of("metric", "top1", "value", 0.93));
    }

    @Test
    void defaultLayerDefaultsToTheLastTapsDisplayName() throws Exception {
        ModelManifest m = parse(FULL.replace("\"defaultLayer\": \"layer4\",", ""));

        assertThat(m.defaultLayer()).isEqualTo("layer4");
    }

    @Test
    void defaultLayerMayBeAnyNameOfATap() throws Exception {
        assertThat(parse(FULL.replace("\"defaultLayer\": \"layer4\"", "\"defaultLayer\": \"layer4.0.relu#2\"")).defaultLayer())
                .isEqualTo("layer4.0.relu#2");
    }

    @Test
    void defaultLayerThatIsNoTapIsRefused() {
        assertRefused(FULL.replace("\"defaultLayer\": \"layer4\"", "\"defaultLayer\": \"layer9\""),
                "m.json: defaultLayer 'layer9' is not one of the taps");
    }

    @Test
    void missingInputIsNamed() {
        assertRefused(minimalWith("\"input\": {\"channels\": 3, \"height\": 32, \"width\": 48},", ""),
                "m.json: missing field 'input'");
    }

    @Test
    void missingOrNonIntegerInputFieldIsNamedWithItsPath() {
        assertRefused(minimalWith("\"height\": 32, ", ""), "m.json: missing or non-integer field 'input.height'");
        assertRefused(minimalWith("\"width\": 48", "\"width\": \"wide\""), "m.json: missing or non-integer field 'input.width'");
    }

    @Test
    void missingPreprocessingIsNamed() {
        assertRefused(minimalWith(",\n  \"preprocessing\": {\"mean\": [0.5, 0.5, 0.5], \"std\": [0.25, 0.25, 0.25]}", ""),
                "m.json: missing field 'preprocessing'");
    }

    @Test
    void meanLengthMustEqualTheChannels() {
        assertRefused(minimalWith("\"mean\": [0.5, 0.5, 0.5], \"std\": [0.25, 0.25, 0.25]", "\"mean\": [0.5], \"std\": [0.25]"),
                "m.json: preprocessing.mean has 1 values but the input has 3 channels");
    }

    @Test
    void meanAndStdMustHaveTheSameLength() {
        assertRefused(minimalWith("\"std\": [0.25, 0.25, 0.25]", "\"std\": [0.25]"),
                "m.json: mean and std must be given with one value per channel");
    }

    @Test
    void meanMustHoldNumbers() {
        assertRefused(minimalWith("\"mean\": [0.5, 0.5, 0.5]", "\"mean\": [0.5, \"x\", 0.5]"),
                "m.json: 'preprocessing.mean' must be a list of numbers");
        assertRefused(minimalWith("\"std\": [0.25, 0.25, 0.25]", "\"std\": []"),
                "m.json: 'preprocessing.std' must be a list of numbers");
    }

    @Test
    void stdMustBePositive() {
        assertRefused(minimalWith("\"std\": [0.25, 0.25, 0.25]", "\"std\": [0.25, 0, 0.25]"),
                "m.json: std values must be positive, got [0.25, 0.0, 0.25]");
    }

    @Test
    void unknownColorModeIsRefused() {
        assertRefused(minimalWith("\"width\": 48}", "\"width\": 48, \"colorMode\": \"CMYK\"}"),
                "m.json: input.colorMode must be RGB or GRAY, got 'CMYK'");
    }

    @Test
    void colorModeMustFitTheChannels() {
        assertRefused(minimalWith("\"width\": 48}", "\"width\": 48, \"colorMode\": \"GRAY\"}"),
                "m.json: colour mode GRAY gives 1 channels but the input has 3");
    }

    @Test
    void greyModelsAcceptTheUsualSpellings() throws Exception {
        String grey = MINIMAL.replace("\"channels\": 3", "\"channels\": 1")
                .replace("\"mean\": [0.5, 0.5, 0.5], \"std\": [0.25, 0.25, 0.25]", "\"mean\": [0.5], \"std\": [0.25]");

        assertThat(parse(grey).input().colorMode()).isEqualTo(ColorMode.GRAY);
        for (String spelling : new String[] {"L", "grey", "Grayscale", "GRAY"}) {
            String json = grey.replace("\"width\": 48}", "\"width\": 48, \"colorMode\": \"" + spelling + "\"}");
            assertThat(parse(json).input()).as(spelling).isEqualTo(new InputSpec(1, 32, 48, ColorMode.GRAY));
        }
    }

    @Test
    void unknownResizePolicyIsRefused() {
        assertRefused(minimalWith("{\"mean\"", "{\"resize\": \"fit\", \"mean\""),
                "m.json: unknown resize policy 'fit' (expected stretch or shorter-center-crop)");
    }

    @Test
    void centerCropNeedsResizeShorter() {
        assertRefused(minimalWith("{\"mean\"", "{\"resize\": \"shorter-center-crop\", \"resizeShorter\": null, \"mean\""),
                "m.json: resize 'shorter-center-crop' needs a positive resizeShorter");
    }

    @Test
    void tapsNeedAThreeDimensionalShapeAndAName() {
        assertRefused(FULL.replace("\"shape\": [16, 48, 48]", "\"shape\": [16, 48]"),
                "m.json: tap [conv1] shape must be [C,H,W]");
        assertRefused(FULL.replace("\"names\": [\"conv1\"]", "\"names\": []"), "m.json: tap 0 has no name");
    }

    @Test
    void newerFormatAsksForAnUpdate() {
        assertRefusedExactly(FULL.replace("\"format\": 1", "\"format\": 2"),
                "m.json: manifest format 2 is newer than this app understands (1); update Saliency Studio");
    }

    @Test
    void invalidJsonIsReportedAsSuch() {
        assertThatThrownBy(() -> parse("{\"id\": \"x\",,}"))
                .isInstanceOf(ModelPackageException.class)
                .hasMessageStartingWith("m.json is not valid JSON: ");
    }

    @Test
    void jsonThatIsNotAnObjectIsRefused() {
        assertRefusedExactly("[1, 2, 3]", "m.json must hold a JSON object");
        assertRefusedExactly("", "m.json must hold a JSON object");
    }

    @Test
    void tapLayoutsAreReadAndDefaultToNchw() throws Exception {
        String json = FULL.replace("\"shape\": [128, 6, 6]}",
                "\"shape\": [128, 6, 6]},\n"
                + "    {\"index\": 13, \"names\": [\"features.7\"], \"shape\": [3, 3, 96], \"layout\": \"NHWC\"},\n"
                + "    {\"index\": 14, \"names\": [\"encoder.ln_1\"], \"shape\": [17, 32], \"layout\": \"tokens\","
                + " \"prefixTokens\": 1, \"grid\": [4, 4]},\n"
                + "    {\"index\": 15, \"names\": [\"pool\"], \"shape\": [32], \"layout\": \"flat\"}");
        ModelManifest m = parse(json);
        assertThat(m.taps()).hasSize(5);
        assertThat(m.taps().get(0).layout()).isEqualTo(TapLayout.nchw(16, 48, 48));
        LayerTap nhwc = m.requireTap("features.7");
        assertThat(nhwc.layout().kind()).isEqualTo(TapLayout.Kind.NHWC);
        assertThat(new int[] {nhwc.channels(), nhwc.height(), nhwc.width()}).containsExactly(96, 3, 3);
        LayerTap tokens = m.requireTap("encoder.ln_1");
        assertThat(new int[] {tokens.channels(), tokens.height(), tokens.width()}).containsExactly(32, 4, 4);
        assertThat(tokens.layout().prefixTokens()).isEqualTo(1);
        assertThat(m.requireTap("pool").spatial()).isFalse();
        assertThatThrownBy(() -> m.requireSpatialTap("pool")).hasMessage("Layer 'pool' of model 'shapes' cannot be "
                + "used by layer methods: it has no spatial grid (a pooled output or a class token). Layers with a "
                + "grid: conv1, layer4.0.relu#2, layer4.0, layer4, features.7, encoder.ln_1");
        assertThat(m.requireSpatialTap("encoder.ln_1")).isSameAs(tokens);
    }

    @Test
    void defaultLayerSkipsTapsWithoutAGridAndMayNotNameOne() throws Exception {
        String flatLast = MINIMAL.replace("\"preprocessing\"", "\"taps\": ["
                + "{\"index\": 0, \"names\": [\"blocks.1\"], \"shape\": [5, 8], \"layout\": \"tokens\", \"prefixTokens\": 1, \"grid\": [2, 2]},"
                + "{\"index\": 1, \"names\": [\"head\"], \"shape\": [8], \"layout\": \"flat\"}],\n  \"preprocessing\"");
        assertThat(parse(flatLast).defaultLayer()).isEqualTo("blocks.1");
        assertRefused(flatLast.replace("\"taps\"", "\"defaultLayer\": \"head\", \"taps\""),
                "m.json: defaultLayer 'head' cannot be used by layer methods: it has no spatial grid (a pooled "
                        + "output or a class token)");
        assertRefused(flatLast.replace("\"layout\": \"flat\"", "\"layout\": \"NTHWC\""),
                "m.json: tap [head] has layout 'NTHWC'; this version reads NCHW, NHWC, tokens and flat. Update "
                        + "Saliency Studio or re-export the model");
        assertRefused(flatLast.replace("\"grid\": [2, 2]", "\"grid\": [3, 3]"),
                "m.json: a tokens tap of 5 tokens cannot hold 1 leading tokens and a 3x3 grid");
    }
}
