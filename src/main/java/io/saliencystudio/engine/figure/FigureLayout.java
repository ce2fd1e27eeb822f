package io.saliencystudio.engine.figure;

import io.saliencystudio.engine.explain.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one layout computation every writer follows: a display list in points (1/72 inch, y down, origin top left).
 * Raster output scales it by {@code dpi / 72}; SVG and PDF draw it as is, so text stays text.
 */
public record FigureLayout(double width, double height, List<Element> elements) {

    static final double MARGIN = 12;
    static final double PANEL = 144;
    static final double GAP = 8;
    static final double CAPTION = 8;
    static final double LINE = 10;
    static final double TITLE = 12;
    static final double BAR_WIDTH = 10;
    static final double BAR_COLUMN = 64;
    static final double TICK = 7;

    /** Something to draw. */
    public sealed interface Element permits PanelBox, Text, Line, ColorBar {}

    /** A panel's image stretched over the box, pixels drawn nearest-neighbour. */
    public record PanelBox(int index, double x, double y, double w, double h) implements Element {}

    /** Text at a baseline; {@code anchor} is -1 left, 0 centre, 1 right. */
    public record Text(String text, double x, double y, double size, int anchor, boolean bold) implements Element {}

    public record Line(double x1, double y1, double x2, double y2, double width) implements Element {}

    /** The colormap from 1 (top) to 0 (bottom). */
    public record ColorBar(double x, double y, double w, double h) implements Element {}

    public static FigureLayout of(FigureSpec spec, FigurePanels panels) {
        List<Element> out = new ArrayList<>();
        int rows = spec.rows().size();
        int cols = spec.columns().size();
        var seen = spec.rows().get(0).input().seen();
        double pw = PANEL;
        double ph = PANEL * seen.height() / seen.width();
        int captionLines = 0;
        for (var p : panels.panels()) {
            captionLines = Math.max(captionLines, caption(spec, panels, p).size());
        }
        double cellH = ph + captionLines * LINE + GAP;
        double top = MARGIN + (spec.title() != null ? TITLE + 8 : 0);
        double gridW = cols * pw + (cols - 1) * GAP;
        double width = MARGIN * 2 + gridW + (spec.hasMaps() ? GAP + BAR_COLUMN : 0);
        double gridH = rows * cellH - GAP;
        double height = top + gridH + MARGIN;
        if (spec.title() != null) {
            out.add(new Text(spec.title(), width / 2, MARGIN + TITLE, TITLE, 0, true));
        }
        for (int i = 0; i < panels.panels().size(); i++) {
            var p = panels.panels().get(i);
            double x = MARGIN + p.column() * (pw + GAP);
            double y = top + p.row() * cellH;
            out.add(new PanelBox(i, x, y, pw, ph));
            double base = y + ph + CAPTION + 1;
            for (String line : caption(spec, panels, p)) {
                out.add(new Text(line, x + pw / 2, base, CAPTION, 0, false));
                base += LINE;
            }
        }
        if (spec.hasMaps()) {
            double bx = MARGIN + gridW + GAP;
            double bh = Math.min(Math.max(ph, 100), Math.max(gridH - 2 * LINE, ph));
            double by = top + TICK;
            out.add(new ColorBar(bx, by, BAR_WIDTH, bh));
            double[] lines = {0, 0.5, 1};
            for (double v : lines) {
                double ty = by + bh * (1 - v);
                out.add(new Line(bx + BAR_WIDTH, ty, bx + BAR_WIDTH + 3, ty, 0.5));
                double value = panels.min() + v * (panels.max() - panels.min());
                out.add(new Text(number(value), bx + BAR_WIDTH + 5, ty + TICK * 0.35, TICK, -1, false));
            }
            out.add(new Line(bx, by, bx, by + bh, 0.5));
            out.add(new Line(bx + BAR_WIDTH, by, bx + BAR_WIDTH, by + bh, 0.5));
            out.add(new Line(bx, by, bx + BAR_WIDTH, by, 0.5));
            out.add(new Line(bx, by + bh, bx + BAR_WIDTH, by + bh, 0.5));
            double cy = by + bh + TICK + 4;
            out.add(new Text(spec.scaleMode().caption(), bx, cy, TICK, -1, false));
            if (spec.scaleMode() == FigureSpec.ScaleMode.PER_MAP) {
                out.add(new Text("(0 = min, 1 = max", bx, cy + TICK + 2, TICK, -1, false));
                out.add(new Text("of each map)", bx, cy + 2 * (TICK + 2), TICK, -1, false));
            } else {
                out.add(new Text("(raw values)", bx, cy + TICK + 2, TICK, -1, false));
            }
            height = Math.max(height, cy + 2 * (TICK + 2) + MARGIN);
        }
        return new FigureLayout(Math.ceil(width), Math.ceil(height), List.copyOf(out));
    }

    /** The caption lines under a panel, in the order drawn. */
    static List<String> caption(FigureSpec spec, FigurePanels panels, FigurePanels.Panel p) {
        var labels = spec.labels();
        var row = spec.rows().get(p.row());
        List<String> lines = new ArrayList<>();
        if (p.column() == 0) {
            if (labels.imageName()) {
                lines.add(row.name());
            }
            if (labels.classLabel()) {
                var t = row.explanation().target();
                lines.add(t.label() + " " + String.format(Locale.ROOT, "%.1f%%", t.probability() * 100));
            }
        }
        if (labels.method()) {
            String name = p.method() == null ? "Original" : methodName(p.method());
            if (labels.layer() && p.layer() != null) {
                name += " @ " + p.layer();
            }
            lines.add(name);
        }
        if (p.method() != null && p.map().signed()) {
            double m = Math.max(Math.abs(p.rawMin()), Math.abs(p.rawMax()));
            lines.add("signed, coolwarm \u00b1" + number(m));
        } else if (p.method() != null && panels.mode() == FigureSpec.ScaleMode.PER_MAP) {
            lines.add("range " + number(p.rawMin()) + " .. " + number(p.rawMax()));
        }
        return lines;
    }

    static String methodName(Method m) {
        return m.displayName();
    }

    /** Compact, locale-independent number for ticks and ranges. */
    static String number(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 1e4 || a < 1e-3 ? String.format(Locale.ROOT, "%.2e", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
