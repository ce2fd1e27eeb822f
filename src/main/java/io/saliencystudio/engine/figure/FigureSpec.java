package io.saliencystudio.engine.figure;

import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.render.Colormap;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a figure shows, built from plain engine values: rows of images, and per row the columns "original" (the image
 * the model saw) and one overlay per method. Immutable; build with {@link #builder(ModelInfo)}.
 *
 * @param columns the panel columns; {@code null} stands for the original (the model input without a map)
 * @param dpi the resolution of raster output; the figure's geometry is in points (1/72 inch)
 * @param created the date recorded in the provenance
 */
public record FigureSpec(Layout layout, List<Row> rows, List<Method> columns, Labels labels, String title,
        Colormap colormap, double opacity, ScaleMode scaleMode, int dpi, ModelInfo model, String appVersion,
        Instant created) {

    /** How panels are arranged: one panel, one image with its panels in a row, or images x panels. */
    public enum Layout {
        SINGLE("One panel (the first method)"),
        ROW("Row: the image and each method"),
        GRID("Grid: one row per image");

        private final String caption;

        Layout(String caption) {
            this.caption = caption;
        }

        /** What a dialog shows for this layout. */
        public String caption() {
            return caption;
        }

        public static Layout fromId(String id) {
            return valueOf(id.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /** Per map: each map's own normalised values; shared: one raw value range across all panels of the figure. */
    public enum ScaleMode {
        PER_MAP("per-map scale"), SHARED("shared scale");

        private final String caption;

        ScaleMode(String caption) {
            this.caption = caption;
        }

        /** The words the figure prints under its colour bar. */
        public String caption() {
            return caption;
        }
    }

    /** One image of the figure with its explanation. */
    public record Row(String name, ModelInput input, Explanation explanation) {

        public Row {
            Objects.requireNonNull(input, "input");
            Objects.requireNonNull(explanation, "explanation");
            if (name == null || name.isBlank()) {
                name = stem(input.source());
            }
        }

        static String stem(String source) {
            String file = source == null ? "image" : Path.of(source).getFileName().toString();
            int dot = file.lastIndexOf('.');
            return dot > 0 ? file.substring(0, dot) : file;
        }
    }

    /** Which captions to draw. */
    public record Labels(boolean imageName, boolean classLabel, boolean layer, boolean method) {
        public static final Labels ALL = new Labels(true, true, true, true);
        public static final Labels NONE = new Labels(false, false, false, false);
    }

    /** The model facts a figure records. */
    public record ModelInfo(String id, String name, String sha256, String input, String preprocessing) {

        public static ModelInfo of(ModelPackage pkg) {
            var m = pkg.manifest();
            return new ModelInfo(pkg.id(), m.name(), m.sha256(), m.input() + " " + m.input().colorMode(),
                    m.preprocessing().toString());
        }
    }

    public FigureSpec {
        rows = List.copyOf(rows);
        columns = java.util.Collections.unmodifiableList(new ArrayList<>(columns));
        if (rows.isEmpty() || columns.isEmpty()) {
            throw new IllegalArgumentException("a figure needs at least one image and one panel");
        }
        if (layout != Layout.GRID && rows.size() != 1) {
            throw new IllegalArgumentException(layout.name().toLowerCase() + " layout shows one image, got " + rows.size());
        }
        if (layout == Layout.SINGLE && columns.size() != 1) {
            throw new IllegalArgumentException("single layout shows one panel, got " + columns.size());
        }
        for (Row r : rows) {
            for (Method m : columns) {
                if (m != null && r.explanation().result(m) == null) {
                    throw new IllegalArgumentException("image " + r.name() + " has no " + m.id() + " map");
                }
            }
        }
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("opacity must be between 0 and 1, got " + opacity);
        }
        if (dpi < 10 || dpi > 2400) {
            throw new IllegalArgumentException("dpi must be between 10 and 2400, got " + dpi);
        }
        Objects.requireNonNull(colormap, "colormap");
        Objects.requireNonNull(scaleMode, "scaleMode");
        Objects.requireNonNull(model, "model");
        labels = labels == null ? Labels.NONE : labels;
        title = title == null || title.isBlank() ? null : title.strip();
        appVersion = appVersion == null ? "dev" : appVersion;
        created = created == null ? Instant.now() : created;
    }

    public static Builder builder(ModelInfo model) {
        return new Builder(model);
    }

    /** True when some column shows a map (so the figure has a colour bar). */
    public boolean hasMaps() {
        return columns.stream().anyMatch(Objects::nonNull);
    }

    /** Fills in defaults: layout from the number of images, columns = original + the methods of the first row. */
    public static final class Builder {
        private final ModelInfo model;
        private final List<Row> rows = new ArrayList<>();
        private Layout layout;
        private List<Method> methods;
        private boolean original = true;
        private Labels labels = Labels.ALL;
        private String title;
        private Colormap colormap = Colormap.DEFAULT;
        private double opacity = 0.5;
        private ScaleMode scaleMode = ScaleMode.PER_MAP;
        private int dpi = 300;
        private String appVersion;
        private Instant created;

        private Builder(ModelInfo model) {
            this.model = model;
        }

        public Builder row(ModelInput input, Explanation explanation) {
            rows.add(new Row(null, input, explanation));
            return this;
        }

        public Builder layout(Layout v) { layout = v; return this; }
        public Builder methods(List<Method> v) { methods = v; return this; }
        public Builder original(boolean v) { original = v; return this; }
        public Builder labels(Labels v) { labels = v; return this; }
        public Builder title(String v) { title = v; return this; }
        public Builder colormap(Colormap v) { colormap = v; return this; }
        public Builder opacity(double v) { opacity = v; return this; }
        public Builder scaleMode(ScaleMode v) { scaleMode = v; return this; }
        public Builder dpi(int v) { dpi = v; return this; }
        public Builder appVersion(String v) { appVersion = v; return this; }
        public Builder created(Instant v) { created = v; return this; }

        public FigureSpec build() {
            if (rows.isEmpty()) {
                throw new IllegalArgumentException("a figure needs at least one image");
            }
            Layout l = layout != null ? layout : rows.size() > 1 ? Layout.GRID : Layout.ROW;
            List<Method> ms = methods != null ? methods : List.copyOf(rows.get(0).explanation().results().keySet());
            List<Method> cols = new ArrayList<>();
            if (l == Layout.SINGLE) {
                cols.add(ms.isEmpty() ? null : ms.get(0));
            } else {
                if (original || ms.isEmpty()) {
                    cols.add(null);
                }
                cols.addAll(ms);
            }
            return new FigureSpec(l, rows, cols, labels, title, colormap, opacity, scaleMode, dpi, model, appVersion, created);
        }
    }
}
