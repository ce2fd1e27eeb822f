package io.saliencystudio.app.explain;

import io.saliencystudio.engine.Failures;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.figure.Figure;
import io.saliencystudio.engine.figure.FigureExporter;
import io.saliencystudio.engine.figure.FigureRenderer;
import io.saliencystudio.engine.figure.FigureSpec;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.render.Colormap;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * The app side of "Export figure…": turns what the panels show (one or several {@link ExplainOutcome}s, the current
 * colormap and opacity) into an engine {@link FigureSpec}, renders low-DPI previews and writes the figure through
 * the engine's {@link FigureExporter}, always on the background executor given here, never on the calling thread.
 * An existing target is replaced only after the injected confirmation agrees.
 */
public final class FigureExport {

    /** Preview resolution: small and quick. */
    public static final int PREVIEW_DPI = 48;
    public static final int MIN_DPI = 72;
    public static final int MAX_DPI = 600;

    /** What the user chose in the dialog. */
    public record Settings(FigureSpec.Layout layout, String title, FigureSpec.ScaleMode scaleMode, int dpi,
            Colormap colormap, double opacity) {

        public Settings {
            if (dpi < MIN_DPI || dpi > MAX_DPI) {
                throw new IllegalArgumentException("DPI must be between " + MIN_DPI + " and " + MAX_DPI + ", got " + dpi);
            }
        }

        public Settings withDpi(int v) {
            return new Settings(layout, title, scaleMode, Math.max(MIN_DPI, v), colormap, opacity);
        }
    }

    private final Executor background;
    private volatile String lastExportThread;

    public FigureExport(Executor background) {
        this.background = background;
    }

    /** The panels' methods in display order: saliency, then Grad-CAM, those present in every outcome. */
    static List<Method> methods(List<ExplainOutcome> outcomes) {
        List<Method> ms = new ArrayList<>();
        for (Method m : List.of(Method.SALIENCY, Method.GRADCAM)) {
            if (outcomes.stream().allMatch(o -> o.result(m) != null)) {
                ms.add(m);
            }
        }
        return ms;
    }

    /** One figure row from an outcome: the image the model saw and its maps. */
    public static FigureSpec.Row row(ExplainOutcome out) {
        var spec = out.query().model().manifest().input();
        String name = out.query().image().name();
        ModelInput input = new ModelInput(spec, new float[spec.size()], out.seen(), name);
        Explanation e = new Explanation(name, out.prediction(), out.target(), out.results());
        int dot = name.lastIndexOf('.');
        return new FigureSpec.Row(dot > 0 ? name.substring(0, dot) : name, input, e);
    }

    /** The spec for {@code outcomes} (all from the same model) under {@code s}. */
    public static FigureSpec spec(List<ExplainOutcome> outcomes, Settings s, int dpi) {
        if (outcomes.isEmpty()) {
            throw new IllegalArgumentException("nothing to export");
        }
        var model = outcomes.get(0).query().model();
        FigureSpec.Layout layout = s.layout() != null ? s.layout()
                : outcomes.size() > 1 ? FigureSpec.Layout.GRID : FigureSpec.Layout.ROW;
        List<Method> methods = methods(outcomes);
        List<Method> columns = new ArrayList<>();
        if (layout == FigureSpec.Layout.SINGLE) {
            columns.add(methods.isEmpty() ? null : methods.get(0));
        } else {
            columns.add(null);
            columns.addAll(methods);
        }
        List<FigureSpec.Row> rows = outcomes.stream().map(FigureExport::row).toList();
        return new FigureSpec(layout, rows, columns, FigureSpec.Labels.ALL, s.title(), s.colormap(), s.opacity(),
                s.scaleMode(), dpi, FigureSpec.ModelInfo.of(model.modelPackage()), appVersion(), null);
    }

    private static String appVersion() {
        String v = FigureExport.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** A low-resolution preview from the same renderer as the export, computed in the background. */
    public CompletableFuture<BufferedImage> preview(List<ExplainOutcome> outcomes, Settings s) {
        return CompletableFuture.supplyAsync(
                () -> FigureRenderer.raster(Figure.of(spec(outcomes, s, PREVIEW_DPI))), background);
    }

    /** Whether exporting to {@code file} would replace something (the figure or its sidecar). */
    public static boolean exists(Path file) {
        return Files.exists(file) || Files.exists(FigureExporter.sidecar(file.toAbsolutePath()));
    }

    /**
     * Exports to {@code file}. When the figure or its sidecar exists, {@code confirmOverwrite} is asked first (on the
     * calling thread); if it declines, nothing is written and the result is empty. The writing itself always runs on
     * the background executor.
     */
    public CompletableFuture<Optional<FigureExporter.Result>> export(List<ExplainOutcome> outcomes, Settings s,
            Path file, Predicate<Path> confirmOverwrite) {
        final FigureSpec spec;
        try {
            FigureExporter.Format.of(file);
            spec = spec(outcomes, s, s.dpi());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        boolean overwrite = false;
        if (exists(file)) {
            if (!confirmOverwrite.test(file)) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            overwrite = true;
        }
        boolean replace = overwrite;
        return CompletableFuture.supplyAsync(() -> {
            lastExportThread = Thread.currentThread().getName();
            try {
                return Optional.of(new FigureExporter(replace, false).export(spec, file));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, background);
    }

    /** The name of the thread that ran the latest export (for tests and diagnostics). */
    public String lastExportThread() {
        return lastExportThread;
    }

    /** A readable message for a failed export. */
    public static String describe(Throwable error) {
        return Failures.message(error);
    }
}
