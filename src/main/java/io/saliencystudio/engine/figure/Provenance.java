package io.saliencystudio.engine.figure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.saliencystudio.engine.explain.Method;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a figure records about how it was made: the same facts in the JSON sidecar, as PNG text chunks, as PDF
 * document information and as SVG metadata. {@link #KEY} holds the full JSON in every format.
 */
public final class Provenance {

    /** Key of the full JSON record in PNG iTXt, PDF custom metadata and the SVG metadata element's id. */
    public static final String KEY = "saliency-studio:provenance";
    static final String PREFIX = "saliency-studio:";
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Provenance() {}

    /** The full record. */
    public static ObjectNode json(Figure figure, String format) {
        FigureSpec spec = figure.spec();
        ObjectNode root = JSON.createObjectNode();
        ObjectNode f = root.putObject("figure");
        f.put("format", format).put("layout", spec.layout().name().toLowerCase()).put("dpi", spec.dpi())
                .put("title", spec.title()).put("widthPt", figure.layout().width()).put("heightPt", figure.layout().height())
                .put("widthPx", figure.pixelWidth()).put("heightPx", figure.pixelHeight());
        var columns = f.putArray("columns");
        spec.columns().forEach(m -> columns.add(m == null ? "original" : m.id()));
        var model = spec.model();
        root.putObject("model").put("id", model.id()).put("name", model.name()).put("sha256", model.sha256())
                .put("input", model.input()).put("preprocessing", model.preprocessing());
        var images = root.putArray("images");
        for (FigureSpec.Row row : spec.rows()) {
            ObjectNode img = images.addObject();
            var t = row.explanation().target();
            img.put("name", row.name()).put("source", row.input().source());
            img.putObject("class").put("index", t.index()).put("label", t.label());
            img.putObject("score").put("probability", t.probability()).put("logit", t.logit());
            ObjectNode methods = img.putObject("methods");
            for (Method m : spec.columns()) {
                if (m != null) {
                    var r = row.explanation().result(m);
                    ObjectNode mo = methods.putObject(m.id());
                    mo.put("layer", r.layer()).put("rawMin", r.map().rawMin()).put("rawMax", r.map().rawMax())
                            .put("blank", r.map().isBlank());
                    mo.set("parameters", JSON.valueToTree(parameters(m, r)));
                }
            }
        }
        ObjectNode n = root.putObject("normalisation");
        n.put("mode", spec.scaleMode() == FigureSpec.ScaleMode.SHARED ? "shared" : "per-map");
        n.put("min", figure.panels().min()).put("max", figure.panels().max());
        n.put("definition", spec.scaleMode() == FigureSpec.ScaleMode.SHARED
                ? "(raw - min) / (max - min) with min, max over the raw maps of all panels, clamped to [0, 1]"
                : "per map: saliency (S-min)/(max-min+1e-8); gradcam (L-min)/max(max-min,1e-8)");
        root.putObject("display").put("colormap", spec.colormap().id()).put("opacity", spec.opacity())
                .put("blend", "(1 - opacity) * image + opacity * colormap(value), floating point")
                .put("mapSampling", "nearest-neighbour");
        root.putObject("app").put("name", "Saliency Studio").put("version", spec.appVersion())
                .put("date", spec.created().toString());
        return root;
    }

    /** The method's parameters as the engine applies them (see shared/notes/methods.md). */
    static Map<String, Object> parameters(Method m, io.saliencystudio.engine.explain.MethodResult r) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("score", "pre-softmax logit");
        if (m == Method.SALIENCY) {
            p.put("aggregation", "sum over channels of |d logit / d input|");
        } else {
            p.put("layer", r.layer());
            p.put("weights", "spatial mean of gradients");
            p.put("relu", "after the weighted sum");
            Object how = r.details().get("upsampling");
            p.put("upsampling", how == null || String.valueOf(how).startsWith("bilinear")
                    ? "bilinear, align_corners=False" + (how == null || how.equals("bilinear") ? ""
                            : String.valueOf(how).substring("bilinear".length()))
                    : "each cell at its receptive-field centre (" + r.details().get("receptiveField")
                            + "), bilinear between centres, edges held");
        }
        return p;
    }

    /** Short key/value pairs for formats with flat metadata, plus {@link #KEY} with the full JSON. */
    public static Map<String, String> flat(Figure figure, String format) {
        FigureSpec spec = figure.spec();
        ObjectNode json = json(figure, format);
        Map<String, String> out = new LinkedHashMap<>();
        out.put("Title", spec.title() != null ? spec.title() : "Saliency Studio figure");
        out.put("Software", "Saliency Studio " + spec.appVersion());
        out.put("Creation Time", spec.created().toString());
        out.put(PREFIX + "model-id", spec.model().id());
        out.put(PREFIX + "model-sha256", String.valueOf(spec.model().sha256()));
        out.put(PREFIX + "images", join(spec, r -> r.name()));
        out.put(PREFIX + "class", join(spec, r -> r.explanation().target().index() + " " + r.explanation().target().label()));
        out.put(PREFIX + "score", join(spec, r -> "p=" + r.explanation().target().probability()
                + " logit=" + r.explanation().target().logit()));
        out.put(PREFIX + "methods", spec.columns().stream().map(m -> m == null ? "original" : m.id())
                .collect(Collectors.joining(", ")));
        Set<String> layers = new LinkedHashSet<>();
        for (FigureSpec.Row r : spec.rows()) {
            for (Method m : spec.columns()) {
                if (m != null && r.explanation().result(m).layer() != null) {
                    layers.add(r.explanation().result(m).layer());
                }
            }
        }
        out.put(PREFIX + "layer", String.join(", ", layers));
        out.put(PREFIX + "normalisation", json.get("normalisation").get("mode").asText() + " ["
                + figure.panels().min() + ", " + figure.panels().max() + "]");
        out.put(PREFIX + "colormap", spec.colormap().id());
        out.put(PREFIX + "opacity", Double.toString(spec.opacity()));
        out.put(PREFIX + "preprocessing", spec.model().preprocessing());
        out.put(PREFIX + "dpi", Integer.toString(spec.dpi()));
        out.put(KEY, text(json));
        return out;
    }

    private static String join(FigureSpec spec, java.util.function.Function<FigureSpec.Row, String> f) {
        return spec.rows().stream().map(f).collect(Collectors.joining("; "));
    }

    static String text(ObjectNode json) {
        try {
            return JSON.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
