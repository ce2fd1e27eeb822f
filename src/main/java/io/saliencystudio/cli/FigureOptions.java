package io.saliencystudio.cli;

import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.figure.FigureExporter;
import io.saliencystudio.engine.figure.FigureSpec;
import io.saliencystudio.engine.figure.SafeWrite;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.render.Colormap;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/** {@code explain}'s figure options, and the export they ask for. */
final class FigureOptions {

    @Option(names = "--figure", paramLabel = "PATH", description = {
            "Also write a figure: .png, .svg or .pdf (from the extension), with PATH.json (provenance).",
            "With several images, grid makes one figure; row and single make one per image (PATH-<image stem>.ext)."})
    Path figure;

    @Option(names = "--layout", paramLabel = "single|row|grid", description = "Figure layout (default: row for one image, grid for several).")
    String layout;

    @Option(names = "--shared-scale", description = "One colour scale (raw value range) for all panels of a figure instead of one per map.")
    boolean sharedScale;

    @Option(names = "--dpi", defaultValue = "300", paramLabel = "N", description = "Figure resolution for PNG (recorded in the file) (default ${DEFAULT-VALUE}).")
    int dpi;

    @Option(names = "--title", paramLabel = "TEXT", description = "Figure title.")
    String title;

    @Option(names = "--overwrite", description = "Replace existing figure files (default: refuse).")
    boolean overwrite;

    @Option(names = "--save-maps", description = "Also write each raw float map of the figure as PATH.<image>.<method>.npy.")
    boolean saveMaps;

    private final List<FigureSpec.Row> rows = new ArrayList<>();

    boolean enabled() {
        return figure != null;
    }

    /** Checks the options before any work, so a typo costs no model load. */
    void validate() throws IOException {
        if (!enabled()) {
            if (layout != null || sharedScale || title != null || overwrite || saveMaps) {
                throw new IllegalArgumentException("--layout, --shared-scale, --title, --overwrite and --save-maps need --figure PATH");
            }
            return;
        }
        FigureExporter.Format.of(figure);
        layout();
        if (dpi < 10 || dpi > 2400) {
            throw new IllegalArgumentException("--dpi must be between 10 and 2400, got " + dpi);
        }
        if (layout() == FigureSpec.Layout.GRID || layout == null) {
            checkTarget(figure);
        }
    }

    private FigureSpec.Layout layout() {
        if (layout == null) {
            return null;
        }
        try {
            return FigureSpec.Layout.fromId(layout);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--layout must be single, row or grid, got '" + layout + "'");
        }
    }

    void add(ModelInput input, Explanation explanation) {
        if (enabled()) {
            rows.add(new FigureSpec.Row(null, input, explanation));
        }
    }

    /** Writes the figure(s) for the collected images; prints each path. */
    void export(ModelPackage pkg, Set<Method> methods, Colormap colormap, double opacity, PrintWriter out) throws IOException {
        if (!enabled() || rows.isEmpty()) {
            return;
        }
        FigureSpec.Layout l = layout() != null ? layout() : rows.size() > 1 ? FigureSpec.Layout.GRID : FigureSpec.Layout.ROW;
        FigureExporter exporter = new FigureExporter(overwrite, saveMaps);
        if (l == FigureSpec.Layout.GRID || rows.size() == 1) {
            write(exporter, spec(pkg, methods, colormap, opacity, l, rows), figure, out);
            return;
        }
        Set<String> used = new HashSet<>();
        List<Path> targets = new ArrayList<>();
        for (FigureSpec.Row row : rows) {
            String stem = row.name();
            String unique = stem;
            for (int i = 2; !used.add(unique); i++) {
                unique = stem + "-" + i;
            }
            Path target = perImage(figure, unique);
            checkTarget(target);
            targets.add(target);
        }
        for (int i = 0; i < rows.size(); i++) {
            write(exporter, spec(pkg, methods, colormap, opacity, l, List.of(rows.get(i))), targets.get(i), out);
        }
    }

    /** {@code fig.png} + {@code cat} -> {@code fig-cat.png}. */
    static Path perImage(Path figure, String stem) {
        String name = figure.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return figure.resolveSibling(name.substring(0, dot) + "-" + stem + name.substring(dot));
    }

    private FigureSpec spec(ModelPackage pkg, Set<Method> methods, Colormap colormap, double opacity,
            FigureSpec.Layout l, List<FigureSpec.Row> figureRows) {
        FigureSpec.Builder b = FigureSpec.builder(FigureSpec.ModelInfo.of(pkg)).layout(l).methods(List.copyOf(methods))
                .colormap(colormap).opacity(opacity).dpi(dpi).title(title).appVersion(Versions.app())
                .scaleMode(sharedScale ? FigureSpec.ScaleMode.SHARED : FigureSpec.ScaleMode.PER_MAP);
        figureRows.forEach(r -> b.row(r.input(), r.explanation()));
        return b.build();
    }

    private void write(FigureExporter exporter, FigureSpec spec, Path target, PrintWriter out) throws IOException {
        try {
            var result = exporter.export(spec, target);
            out.println(result.figure());
            out.flush();
        } catch (SafeWrite.ExistsException e) {
            throw exists(e.getFile());
        }
    }

    private void checkTarget(Path target) throws IOException {
        try {
            SafeWrite.checkTarget(target, overwrite);
            SafeWrite.checkTarget(FigureExporter.sidecar(target), overwrite);
        } catch (SafeWrite.ExistsException e) {
            throw exists(e.getFile());
        }
    }

    private static IOException exists(String file) {
        return new IOException(file + " already exists and was left untouched: add --overwrite to replace it, or choose another --figure path");
    }
}
