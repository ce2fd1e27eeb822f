package io.saliencystudio.app.model;

import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.ModelManifest;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.Preprocessing;
import io.saliencystudio.engine.runtime.ComputeDevice;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;

/**
 * Everything known about a model, as a two-column sheet: identity and files, input and preprocessing, layers, and
 * the free-form provenance of its manifest (architecture, training data, accuracy, how it was made). Values are
 * selectable text so a hash or path can be copied.
 */
public final class ProvenanceView extends ScrollPane {

    public ProvenanceView(ModelPackage pkg, int numClasses, boolean hasTaps, ComputeDevice device) {
        GridPane grid = new GridPane();
        grid.getStyleClass().add("provenance");
        grid.setHgap(14);
        grid.setVgap(4);
        ColumnConstraints keys = new ColumnConstraints();
        keys.setMinWidth(130);
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        grid.getColumnConstraints().addAll(keys, values);
        int row = 0;
        for (Map.Entry<String, String> e : rows(pkg, numClasses, hasTaps, device).entrySet()) {
            Label k = new Label(e.getKey());
            k.getStyleClass().add("muted");
            TextField v = new TextField(e.getValue());
            v.setEditable(false);
            v.getStyleClass().add("provenance-value");
            v.setPrefColumnCount(Math.min(60, Math.max(20, e.getValue().length())));
            grid.addRow(row++, k, v);
        }
        setContent(grid);
        setFitToWidth(true);
        setPrefSize(720, 520);
    }

    /** The sheet's rows in display order (also what tests check). */
    public static Map<String, String> rows(ModelPackage pkg, int numClasses, boolean hasTaps, ComputeDevice device) {
        ModelManifest m = pkg.manifest();
        Map<String, String> r = new LinkedHashMap<>();
        r.put("Name", m.name());
        r.put("Id", m.id());
        if (m.description() != null) {
            r.put("Description", m.description());
        }
        r.put("Location", pkg.location().toString());
        r.put("Model file", pkg.modelFile().toString());
        r.put("SHA-256", String.valueOf(m.sha256()));
        r.put("Classes", numClasses
                + (pkg.labelsKnown() ? " (labels from " + m.labelsFile() + ")" : " (no label file)"));
        InputSpec in = m.input();
        r.put("Input", in.channels() + "×" + in.height() + "×" + in.width() + " " + in.colorMode());
        Preprocessing p = m.preprocessing();
        r.put("Preprocessing", p.resize().name().toLowerCase(Locale.ROOT).replace('_', '-')
                + (p.resizeShorter() != null ? " (shorter side " + p.resizeShorter() + ")" : "")
                + ", ÷" + trim(p.scale()) + ", mean " + Arrays.toString(p.mean())
                + ", std " + Arrays.toString(p.std()));
        r.put("Layer taps", hasTaps ? m.taps().size() + " (default " + m.defaultLayer() + ")"
                : "none: Grad-CAM unavailable");
        r.put("Device", device.label());
        for (Map.Entry<String, Object> e : m.provenance().entrySet()) {
            flatten("Provenance · " + e.getKey(), e.getValue(), r);
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String key, Object value, Map<String, String> out) {
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
                flatten(key + "." + e.getKey(), e.getValue(), out);
            }
        } else if (value instanceof List<?> list) {
            out.put(key, list.toString());
        } else {
            out.put(key, String.valueOf(value));
        }
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
