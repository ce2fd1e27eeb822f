package io.saliencystudio.engine.figure;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.io.Npy;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Exports a figure to PNG, SVG or PDF (chosen by the file extension) with a JSON sidecar {@code <figure>.json} and,
 * optionally, the raw float maps as {@code <figure>.<image>.<method>.npy}. Every file is written through
 * {@link SafeWrite}; nothing existing is replaced unless {@code overwrite}, and a failed export removes the files it
 * had already written, so it leaves either all of them or none. Blocking; call it off the UI thread.
 */
public final class FigureExporter {

    /** The output formats, by extension. */
    public enum Format {
        PNG, SVG, PDF;

        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            int dot = name.lastIndexOf('.');
            String ext = dot < 0 ? "" : name.substring(dot + 1);
            return switch (ext) {
                case "png" -> PNG;
                case "svg" -> SVG;
                case "pdf" -> PDF;
                default -> throw new IllegalArgumentException("cannot tell the figure format from '" + file.getFileName()
                        + "': use a .png, .svg or .pdf file name");
            };
        }

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What was written. */
    public record Result(Path figure, Path sidecar, List<Path> maps, long bytes) {}

    private final boolean overwrite;
    private final boolean saveMaps;
    private final UnaryOperator<OutputStream> streams;

    public FigureExporter(boolean overwrite, boolean saveMaps) {
        this(overwrite, saveMaps, UnaryOperator.identity());
    }

    /** {@code streams} wraps every output stream (tests use it to simulate a full disk). */
    FigureExporter(boolean overwrite, boolean saveMaps, UnaryOperator<OutputStream> streams) {
        this.overwrite = overwrite;
        this.saveMaps = saveMaps;
        this.streams = streams;
    }

    public static Path sidecar(Path figure) {
        return figure.resolveSibling(figure.getFileName() + ".json");
    }

    public Result export(FigureSpec spec, Path file) throws IOException {
        Format format = Format.of(file);
        Path target = file.toAbsolutePath().normalize();
        Figure figure = Figure.of(spec);
        Map<Path, float[][]> maps = saveMaps ? maps(spec, target) : Map.of();
        Path json = sidecar(target);
        SafeWrite.checkTarget(target, overwrite);
        SafeWrite.checkTarget(json, overwrite);
        for (Path p : maps.keySet()) {
            SafeWrite.checkTarget(p, overwrite);
        }
        if (target.getParent() != null && !Files.isDirectory(target.getParent())) {
            throw new IOException("cannot write " + target + ": folder " + target.getParent() + " does not exist");
        }
        List<Path> written = new ArrayList<>();
        try {
            write(target, out -> {
                switch (format) {
                    case PNG -> PngFigureWriter.write(figure, out);
                    case SVG -> SvgFigureWriter.write(figure, out);
                    case PDF -> PdfFigureWriter.write(figure, out);
                }
            });
            written.add(target);
            for (Map.Entry<Path, float[][]> e : maps.entrySet()) {
                float[][] m = e.getValue();
                write(e.getKey(), out -> Npy.write(out, m[0], (int) m[1][0], (int) m[1][1]));
                written.add(e.getKey());
            }
            ObjectNode record = Provenance.json(figure, format.id());
            record.with("figure").put("file", target.getFileName().toString());
            var names = record.putArray("rawMaps");
            maps.keySet().forEach(p -> names.add(p.getFileName().toString()));
            byte[] bytes = Provenance.JSON.writeValueAsBytes(record);
            write(json, out -> out.write(bytes));
            written.add(json);
        } catch (IOException | RuntimeException e) {
            for (Path p : written) {
                Files.deleteIfExists(p);
            }
            throw e;
        }
        return new Result(target, json, List.copyOf(maps.keySet()), Files.size(target));
    }

    private void write(Path file, SafeWrite.Body body) throws IOException {
        SafeWrite.write(file, overwrite, out -> {
            OutputStream wrapped = streams.apply(out);
            body.write(wrapped);
            wrapped.flush();
        });
    }

    /** Raw maps (H x W float32) keyed by file; value = {data, {height, width}}. */
    private static Map<Path, float[][]> maps(FigureSpec spec, Path target) {
        Map<Path, float[][]> out = new LinkedHashMap<>();
        for (FigureSpec.Row row : spec.rows()) {
            for (Method m : spec.columns()) {
                if (m != null) {
                    var map = row.explanation().result(m).map();
                    Path p = target.resolveSibling(target.getFileName() + "." + row.name() + "." + m.id() + ".npy");
                    for (int i = 2; out.containsKey(p); i++) {
                        p = target.resolveSibling(target.getFileName() + "." + row.name() + "-" + i + "." + m.id() + ".npy");
                    }
                    out.put(p, new float[][] {map.raw(), {map.height(), map.width()}});
                }
            }
        }
        return out;
    }
}
