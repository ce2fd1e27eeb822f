package io.saliencystudio.app.explain;

import io.saliencystudio.app.images.GroundTruth;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Upsampling;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.ModelManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javafx.geometry.Rectangle2D;

/**
 * What {@link PanelsView} says and computes, without any node: the headline, the panels' captions and messages, the
 * pointing game against the truth box and the shared colour scale. Plain functions of the outcome, so the words and
 * numbers are tested without a scene.
 */
public final class PanelsPresenter {

    /** What the input panel says before there is anything to show. */
    static final String DROP_HINT = "Drop images or folders here, or use File > Open images…";

    private PanelsPresenter() {
    }

    /** A piece of the headline and its style class; the view makes one label of each. */
    public record Segment(String text, String style) {}

    /** What a method panel shows for an outcome. */
    public record MethodContent(Kind kind, Heatmap map, String caption, String message) {

        public enum Kind {
            /** The map, with its caption (and a message when it is blank). */
            MAP,
            /** No map: the image and a message (no taps, failed, cancelled). */
            MESSAGE,
            /** Still computing: the image now, the map when it comes. */
            WAITING,
            /** Still computing, and the panel keeps the map of this same image up meanwhile (a knob changed). */
            KEEP
        }
    }

    /** The input panel's message while no outcome is shown. */
    public static String inputMessage(String problem, boolean hasImage) {
        return problem != null ? problem : hasImage ? "Explaining…" : DROP_HINT;
    }

    /** The headline while no outcome is shown: the reason, muted, or nothing. */
    public static List<Segment> headline(String problem) {
        return problem == null ? List.of() : List.of(new Segment("Cannot explain this image", "headline-muted"));
    }

    /**
     * The headline over the panels: the class explained, its probability, rank and logit, and against the ground
     * truth (when there is one) whether the top prediction is right.
     */
    public static List<Segment> headline(Prediction prediction, ClassScore target, GroundTruth truth) {
        List<Segment> out = new ArrayList<>();
        out.add(new Segment("Explaining ", "headline-muted"));
        out.add(new Segment(target.label(), "headline-class"));
        out.add(new Segment(String.format(Locale.ROOT, "  p = %.1f%% · rank %d of %d · logit %.2f",
                target.probability() * 100, rank(prediction, target.index()), prediction.numClasses(),
                target.logit()), "headline-muted"));
        if (truth != null) {
            String top = prediction.score(prediction.top1()).label();
            boolean hit = truth.matches(top);
            out.add(new Segment("   true: ", "headline-muted"));
            out.add(new Segment(truth.label() + (hit ? " ✓ predicted" : " ✗ predicted " + top),
                    hit ? "headline-ok" : "headline-bad"));
        }
        return out;
    }

    /** The headline as one line (its tooltip). */
    public static String text(List<Segment> segments) {
        StringBuilder sb = new StringBuilder();
        segments.forEach(s -> sb.append(s.text()));
        return sb.toString();
    }

    /** 1 for the top class. */
    static int rank(Prediction prediction, int classIndex) {
        return prediction.top(prediction.numClasses()).stream().map(ClassScore::index).toList().indexOf(classIndex)
                + 1;
    }

    /** The input panel's caption: what the model sees, and the file it came from. */
    public static String inputCaption(InputSpec spec, int sourceWidth, int sourceHeight) {
        return String.format(Locale.ROOT, "%d×%d %s, from a %d×%d file", spec.width(), spec.height(),
                spec.colorMode() == InputSpec.ColorMode.GRAY ? "grey" : "RGB", sourceWidth, sourceHeight);
    }

    /**
     * What {@code method}'s panel shows for {@code out} of a model with {@code manifest}. {@code keepsSameImage}:
     * the panel already shows a map of this very image, which may stay up while a changed knob recomputes it.
     */
    public static MethodContent methodContent(Method method, ExplainOutcome out, ModelManifest manifest,
            boolean hasTaps, boolean keepsSameImage) {
        MethodResult r = out.result(method);
        String failure = out.failures().get(method);
        if (method.needsLayer() && !hasTaps) {
            return new MethodContent(MethodContent.Kind.MESSAGE, null, " ", "This model has no layer taps, so "
                    + method.displayName() + " is not available (saliency works). Re-export it with "
                    + "models/tools/export.py to add them.");
        }
        if (method.needsAttention() && (manifest == null || !manifest.hasAttention())) {
            return new MethodContent(MethodContent.Kind.MESSAGE, null, " ", "This model exposes no attention maps, so "
                    + method.displayName() + " is not available: it needs a vision transformer exported with them "
                    + "by models/tools/export.py.");
        }
        if (r != null) {
            return new MethodContent(MethodContent.Kind.MAP, r.map(), caption(r, manifest),
                    blankMessage(r, out.target()));
        }
        if (failure != null) {
            return new MethodContent(MethodContent.Kind.MESSAGE, null, " ", failure);
        }
        return new MethodContent(keepsSameImage && out.pending().contains(method) ? MethodContent.Kind.KEEP
                : MethodContent.Kind.WAITING, null, " ", null);
    }

    /** A line under the map: how it was made (the layer, or the settings that change it). */
    public static String caption(MethodResult r, ModelManifest manifest) {
        if (r.method() == Method.SALIENCY) {
            return "Σ over channels of |∂ logit / ∂ pixel|";
        }
        if (r.method().needsLayer()) {
            LayerTap tap = manifest == null ? null : manifest.tap(r.layer()).orElse(null);
            String shape = tap == null ? "" : " · " + tap.shapeText().replace("x", "×");
            Object how = r.details().get("upsampling");
            Object warning = r.details().get("warning");
            Object eps = r.details().get("epsilon");
            return (warning == null ? "" : "⚠ " + warning + " · ") + r.layer() + shape
                    + (Upsampling.RECEPTIVE_FIELD.id().equals(how) ? " · cells at receptive-field centres"
                            : " · upsampled bilinear")
                    + (eps instanceof Number n && n.doubleValue() > 0 ? " · eps " + n : "")
                    + ("channel-softmax".equals(r.details().get("weights")) ? " · weights as pytorch-grad-cam" : "");
        }
        if (r.method().needsAttention()) {
            Object attention = r.details().get("attention");
            return "class token row · " + (attention == null ? "" : attention + " · ") + "upsampled bilinear";
        }
        StringBuilder sb = new StringBuilder();
        r.details().forEach((k, v) -> {
            if (sb.length() < 80 && !(v instanceof java.util.Collection<?>) && !(v instanceof Map<?, ?>)) {
                sb.append(sb.length() == 0 ? "" : " · ").append(k).append(' ').append(v instanceof Double d
                        ? LegendPresenter.format(d.floatValue()) : String.valueOf(v));
            }
        });
        return sb.length() == 0 ? " " : sb.toString();
    }

    /** Why a map carries no information, in words; {@code null} when it does. */
    public static String blankMessage(MethodResult cam, ClassScore target) {
        if (!cam.map().isBlank()) {
            return null;
        }
        String name = cam.method().displayName();
        if (!cam.method().needsLayer()) {
            return name + " is constant for “" + target.label() + "”: nothing to show. Try another class.";
        }
        Heatmap layerMap = cam.layerMap();
        if (layerMap != null && layerMap.width() * layerMap.height() == 1) {
            return name + " at " + cam.layer() + " is a single value (a 1×1 map): it cannot show where the model "
                    + "looks. Pick an earlier layer.";
        }
        if (cam.map().rawMax() <= 0) {
            return name + " is all zero for “" + target.label() + "” at " + cam.layer() + ": no channel has positive "
                    + "weighted evidence after ReLU. Try a deeper layer or another class.";
        }
        return name + " is constant for “" + target.label() + "” at " + cam.layer() + ": nothing to localise. "
                + "Try another layer or class.";
    }

    /**
     * Whether the map's peak falls in the truth box (the pointing game); {@code null} when there is no map, no box,
     * or the map is blank (a blank map points nowhere).
     */
    public static Boolean pointingHit(Heatmap map, Rectangle2D box) {
        return map == null || box == null || map.isBlank() ? null
                : PointingGame.hit(map, box.getMinX(), box.getMinY(), box.getMaxX(), box.getMaxY());
    }

    /**
     * The range each map is drawn against: {@code null} everywhere without a shared scale (each map its own);
     * with it, the union of the unsigned maps' ranges for unsigned maps and one symmetric range for signed maps.
     * Missing and blank maps get {@code null}. The result is parallel to {@code maps}.
     */
    public static List<MapScaling.Range> sharedRanges(List<Heatmap> maps, boolean shared, MapScaling scaling) {
        List<MapScaling.Range> out = new ArrayList<>();
        List<Heatmap> present = maps.stream().filter(Objects::nonNull).toList();
        MapScaling.Range unsigned = shared ? scaling.shared(present, false) : null;
        MapScaling.Range signed = shared ? scaling.shared(present, true) : null;
        for (Heatmap h : maps) {
            out.add(!shared || h == null || h.isBlank() ? null : h.signed() ? signed : unsigned);
        }
        return out;
    }

    /** The protocol button's text. */
    public static String protocolCaption(String protocol) {
        return "Protocol: " + protocol;
    }

    /** An item of the "Add method" menu: its text and tooltip, and whether the model can compute it. */
    public record AddMethodItem(String text, String tooltip, boolean available) {}

    /** The "Add method" item of {@code method}; {@code modelName} is {@code null} without a model. */
    public static AddMethodItem addMethodItem(Method method, boolean available, String modelName) {
        if (available) {
            return new AddMethodItem(method.displayName(), MethodInfo.tooltip(method), true);
        }
        if (method.needsAttention()) {
            return new AddMethodItem(method.displayName() + "  (" + method.unavailableReason() + ")",
                    method.displayName() + " reads a vision transformer's attention maps, and "
                    + (modelName == null ? "this model" : modelName) + " exposes none (not a ViT, or exported before "
                    + "attention maps were). Re-export a torchvision ViT with models/tools/export.py to add them.",
                    false);
        }
        return new AddMethodItem(method.displayName() + "  (needs layer taps)", method.displayName()
                + " reads a layer's activations, and " + (modelName == null ? "this model" : modelName)
                + " was exported without layer taps. Re-export it with models/tools/export.py to add them.", false);
    }
}
