package io.saliencystudio.engine.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.model.InputSpec.ColorMode;
import io.saliencystudio.engine.model.Preprocessing.ResizePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Parses {@code manifest.json} into a {@link ModelManifest}, naming the missing or wrong field when it cannot. */
public final class ManifestReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SUPPORTED_FORMAT = 1;

    /** Appended to every field error, so the message says what to do about it. */
    public static final String FIX_HINT = ": fix the manifest, or re-export the model with models/tools/export.py";

    private ManifestReader() {}

    /**
     * @param json the manifest text
     * @param source where it came from, for messages (a path)
     */
    public static ModelManifest parse(String json, String source) throws ModelPackageException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ModelPackageException(source + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ModelPackageException(source + " must hold a JSON object");
        }
        int format = root.path("format").asInt(SUPPORTED_FORMAT);
        if (format > SUPPORTED_FORMAT) {
            throw new ModelPackageException(source + ": manifest format " + format + " is newer than this app "
                    + "understands (" + SUPPORTED_FORMAT + "); update Saliency Studio");
        }
        try {
            return read(root);
        } catch (IllegalArgumentException e) {
            throw new ModelPackageException(source + ": " + e.getMessage() + FIX_HINT);
        }
    }

    private static ModelManifest read(JsonNode root) {
        JsonNode in = required(root, "input");
        int channels = requiredInt(in, "input.channels");
        InputSpec input = new InputSpec(channels, requiredInt(in, "input.height"), requiredInt(in, "input.width"),
                colorMode(in.path("colorMode").asText(channels == 1 ? "GRAY" : "RGB")));

        JsonNode pre = required(root, "preprocessing");
        JsonNode shorter = pre.path("resizeShorter");
        Preprocessing preprocessing = new Preprocessing(
                ResizePolicy.fromId(pre.path("resize").asText("stretch")),
                shorter.isNumber() ? shorter.asInt() : null,
                pre.path("scale").asDouble(255.0),
                doubles(required(pre, "mean"), "preprocessing.mean"),
                doubles(required(pre, "std"), "preprocessing.std"));
        if (preprocessing.mean().length != channels) {
            throw new IllegalArgumentException("preprocessing.mean has " + preprocessing.mean().length
                    + " values but the input has " + channels + " channels");
        }

        List<LayerTap> taps = new ArrayList<>();
        for (JsonNode t : root.path("taps")) {
            List<String> names = new ArrayList<>();
            t.path("names").forEach(n -> names.add(n.asText()));
            taps.add(new LayerTap(requiredInt(t, "index"), names, layout(t, names), t.path("cut").asBoolean(false),
                    receptiveField(t, names)));
        }
        String defaultLayer = text(root, "defaultLayer");
        if (defaultLayer == null && !taps.isEmpty()) {
            defaultLayer = taps.stream().filter(LayerTap::spatial).reduce((a, b) -> b).map(LayerTap::displayName)
                    .orElse(null);
        } else if (defaultLayer != null && taps.stream().noneMatch(t -> t.hasName(text(root, "defaultLayer")))) {
            throw new IllegalArgumentException("defaultLayer '" + defaultLayer + "' is not one of the taps");
        } else if (defaultLayer != null) {
            String name = defaultLayer;
            LayerTap tap = taps.stream().filter(t -> t.hasName(name)).findFirst().orElseThrow();
            if (!tap.spatial()) {
                throw new IllegalArgumentException("defaultLayer '" + defaultLayer + "' cannot be used by layer "
                        + "methods: " + tap.layout().unavailableReason());
            }
        }
        JsonNode methods = root.path("methods");
        Map<String, Object> provenance = root.has("provenance")
                ? JSON.convertValue(root.get("provenance"), new TypeReference<Map<String, Object>>() {})
                : Map.of();
        return new ModelManifest(
                text(root, "id"),
                text(root, "name"),
                root.path("description").asText(""),
                root.path("file").asText("model.pt"),
                text(root, "sha256"),
                root.path("labels").asText("synset.txt"),
                input,
                preprocessing,
                taps,
                defaultLayer,
                methods.path("forward").asText("forward"),
                taps.isEmpty() ? null : methods.path("tap").asText("forward_tap"),
                provenance,
                attention(root.path("attention")));
    }

    /** The optional {@code "attention"} object (models/FORMAT.md); null when absent (older packages). */
    static AttentionSpec attention(JsonNode a) {
        if (a.isMissingNode() || a.isNull()) {
            return null;
        }
        JsonNode grid = a.path("grid");
        if (!grid.isArray() || grid.size() != 2) {
            throw new IllegalArgumentException("attention.grid must be [height, width]");
        }
        List<String> modules = new ArrayList<>();
        a.path("modules").forEach(n -> modules.add(n.asText()));
        return new AttentionSpec(a.path("method").asText("forward_attention"), requiredInt(a, "attention.layers"),
                requiredInt(a, "attention.heads"), requiredInt(a, "attention.tokens"), a.path("prefixTokens").asInt(1),
                grid.get(0).asInt(), grid.get(1).asInt(), modules);
    }

    /** {@code "receptiveField": {"stride": [sy, sx], "center": [cy, cx]}}, or null when absent. */
    static ReceptiveField receptiveField(JsonNode t, List<String> names) {
        JsonNode rf = t.path("receptiveField");
        if (rf.isMissingNode() || rf.isNull()) {
            return null;
        }
        JsonNode stride = rf.path("stride");
        JsonNode center = rf.path("center");
        if (!stride.isArray() || stride.size() != 2 || !center.isArray() || center.size() != 2
                || !stride.get(0).isNumber() || !stride.get(1).isNumber() || !center.get(0).isNumber()
                || !center.get(1).isNumber()) {
            throw new IllegalArgumentException("tap " + names + " receptiveField must be {\"stride\": [sy, sx], "
                    + "\"center\": [cy, cx]}");
        }
        return new ReceptiveField(stride.get(0).asDouble(), stride.get(1).asDouble(), center.get(0).asDouble(),
                center.get(1).asDouble());
    }

    /**
     * A tap's layout from its {@code "layout"}, {@code "shape"}, {@code "prefixTokens"} and {@code "grid"} fields;
     * a tap without {@code "layout"} is {@code (N, C, H, W)} (packages written before layouts were recorded).
     */
    static TapLayout layout(JsonNode t, List<String> names) {
        JsonNode shapeNode = required(t, "shape");
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asInt();
            if (shape[i] <= 0) {
                throw new IllegalArgumentException("tap " + names + " has a non-positive size in its shape");
            }
        }
        String kind = t.path("layout").asText("NCHW").toUpperCase(java.util.Locale.ROOT);
        switch (kind) {
            case "NCHW", "NHWC" -> {
                if (shape.length != 3) {
                    throw new IllegalArgumentException("tap " + names + " shape must be "
                            + (kind.equals("NCHW") ? "[C,H,W]" : "[H,W,C] (NHWC)"));
                }
                return kind.equals("NCHW") ? TapLayout.nchw(shape[0], shape[1], shape[2])
                        : TapLayout.nhwc(shape[0], shape[1], shape[2]);
            }
            case "TOKENS" -> {
                if (shape.length != 2) {
                    throw new IllegalArgumentException("tap " + names + " (tokens) shape must be [T,C]");
                }
                JsonNode grid = t.path("grid");
                int prefix = t.path("prefixTokens").asInt(0);
                if (grid.isArray() && grid.size() == 2) {
                    return TapLayout.tokens(shape[0], shape[1], prefix, grid.get(0).asInt(), grid.get(1).asInt());
                }
                return TapLayout.tokens(shape[0], shape[1], prefix, 0, 0);
            }
            case "FLAT" -> {
                return TapLayout.flat(shape);
            }
            default -> throw new IllegalArgumentException("tap " + names + " has layout '" + t.path("layout").asText()
                    + "'; this version reads NCHW, NHWC, tokens and flat. Update Saliency Studio or re-export the model");
        }
    }

    private static ColorMode colorMode(String text) {
        return switch (text.toUpperCase()) {
            case "RGB" -> ColorMode.RGB;
            case "GRAY", "GREY", "GRAYSCALE", "L" -> ColorMode.GRAY;
            default -> throw new IllegalArgumentException("input.colorMode must be RGB or GRAY, got '" + text + "'");
        };
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v;
    }

    private static int requiredInt(JsonNode node, String path) {
        String field = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToInt()) {
            throw new IllegalArgumentException("missing or non-integer field '" + path + "'");
        }
        return v.asInt();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static double[] doubles(JsonNode array, String path) {
        if (!array.isArray() || array.isEmpty()) {
            throw new IllegalArgumentException("'" + path + "' must be a list of numbers");
        }
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            if (!array.get(i).isNumber()) {
                throw new IllegalArgumentException("'" + path + "' must be a list of numbers");
            }
            out[i] = array.get(i).asDouble();
        }
        return out;
    }
}
