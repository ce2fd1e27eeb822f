package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.image.RgbImage;
import java.util.Locale;

/**
 * The words and numbers of one map panel, without any node: the colour bar's ends in the map's raw units, the
 * legend's caption, the progress line and the readout under the mouse.
 */
public final class LegendPresenter {

    private LegendPresenter() {
    }

    /** The colour bar's two ends and the line under it. */
    public record Legend(String min, String max, String caption) {

        /** The legend as one line, as the status bar and tests read it. */
        public String text() {
            return min + " … " + max + " | " + caption;
        }
    }

    /**
     * The legend of {@code map} drawn with {@code scaling} against {@code shared} ({@code null}: the map's own
     * range), after the caller's {@code caption}. Clipped scalings mark their ends (≤, ≥); signed maps say so and
     * show the plus sign; the scale says whose range it is. Without a map, only the caption.
     */
    public static Legend legend(Heatmap map, MapScaling scaling, MapScaling.Range shared, String caption) {
        String callers = caption == null ? " " : caption;
        if (map == null) {
            return new Legend("", "", callers);
        }
        MapScaling.Range r = shared != null ? shared : scaling.range(map);
        boolean clipped = scaling != MapScaling.MIN_MAX;
        String min = map.signed() ? (clipped ? "≤" : "") + format(r.lo()) : format(r.lo());
        String max = map.signed() ? (clipped ? "≥+" : "+") + format(r.hi()) : (clipped ? "≥" : "") + format(r.hi());
        String scale = (map.signed() ? "signed, symmetric: blue < 0 (white) < red · " : "")
                + (shared != null ? "shared scale" : "per map");
        return new Legend(min, max, callers.isBlank() ? scale : callers + " · " + scale);
    }

    /** Three significant digits in the readable range, scientific outside it, and a plain 0. */
    public static String format(float v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        return a >= 0.01 && a < 1000 ? String.format(Locale.ROOT, "%.3g", v) : String.format(Locale.ROOT, "%.2e", v);
    }

    /** The line over a progress bar: the engine's step and percent, or "Computing…" when unknown (negative). */
    public static String progress(double fraction, String what) {
        return fraction < 0 ? "Computing…"
                : String.format(Locale.ROOT, "%s %.0f%%", what == null ? "" : what, fraction * 100).strip();
    }

    /**
     * What lies under the mouse at ({@code x}, {@code y}) of the image the model saw: the pixel for the input panel
     * ({@code map == null}), else the scaled and raw map value; a blank when outside.
     */
    public static String readout(RgbImage seen, Heatmap map, float[] scaled, boolean input, int x, int y) {
        if (seen == null || x < 0 || y < 0 || x >= seen.width() || y >= seen.height()) {
            return " ";
        }
        if (input) {
            float r = seen.get(x, y, 0);
            float g = seen.get(x, y, 1);
            float b = seen.get(x, y, 2);
            return r == g && g == b ? String.format(Locale.ROOT, "(%d, %d)  grey %.0f", x, y, r)
                    : String.format(Locale.ROOT, "(%d, %d)  RGB %.0f %.0f %.0f", x, y, r, g, b);
        }
        if (map != null && x < map.width() && y < map.height()) {
            int i = y * map.width() + x;
            return String.format(Locale.ROOT, "%.3f  (raw %s)", scaled[i], format(map.raw()[i]));
        }
        return " ";
    }
}
