package io.saliencystudio.engine.metrics;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.Preprocessing;

/**
 * The pointing game (Zhang et al. 2018): a map scores a hit when its maximum lies on the object, within a tolerance.
 *
 * <p>As implemented: the maximum is the argmax of the map's raw values at input resolution, ties to the first pixel in
 * row-major order (the same ranking as the first pixel deletion removes). The box is in input pixels, {@code x1} and
 * {@code y1} exclusive, and is grown by the tolerance as a disc, as the reference code dilates the mask: a hit when
 * the Euclidean distance from the maximum's pixel to the nearest box pixel is at most the tolerance. The paper's
 * 15 px at 224 px is scaled to the input ({@link #toleranceFor}).
 */
public final class PointingGame {

    /**
     * @param x column of the map's maximum
     * @param y row of the map's maximum
     * @param tolerance pixels the box was grown by
     */
    public record Result(boolean hit, int x, int y, int tolerance) {}

    private PointingGame() {}

    /** The paper's 15 px at 224 px wide, scaled to the input width (before rounding). */
    public static double exactTolerance(int width) {
        return 15.0 * width / 224.0;
    }

    /** {@link #exactTolerance} rounded to whole pixels, at least 1. */
    public static int toleranceFor(int width) {
        return (int) Math.max(1, Math.round(exactTolerance(width)));
    }

    /**
     * @param box {@code x0, y0, x1, y1} in the map's pixels (the model input), {@code x1}/{@code y1} exclusive
     */
    public static Result play(Heatmap map, int[] box, int tolerance) {
        if (box == null || box.length != 4 || box[2] <= box[0] || box[3] <= box[1]) {
            throw new IllegalArgumentException("a box is x0, y0, x1, y1 with x1 > x0 and y1 > y0");
        }
        if (map.isBlank()) {
            return new Result(false, -1, -1, tolerance); // a constant map points nowhere
        }
        float[] raw = map.raw();
        int best = 0;
        for (int i = 1; i < raw.length; i++) {
            if (raw[i] > raw[best] || (raw[best] != raw[best] && raw[i] == raw[i])) {
                best = i;
            }
        }
        int x = best % map.width();
        int y = best / map.width();
        long dx = Math.max(0, Math.max(box[0] - x, x - (box[2] - 1)));
        long dy = Math.max(0, Math.max(box[1] - y, y - (box[3] - 1)));
        return new Result(dx * dx + dy * dy <= (long) tolerance * tolerance, x, y, tolerance);
    }

    /**
     * Maps a box in the image file's pixels onto the model input, with the preprocessing's geometry (stretch, or
     * shorter-side resize then centre crop, as {@link io.saliencystudio.engine.image.Preprocessor} does), rounding
     * outward to whole pixels. Returns {@code null} when the box falls outside what the model saw.
     */
    public static int[] boxToInput(int[] box, int sourceWidth, int sourceHeight, InputSpec spec, Preprocessing pre) {
        double[] p = project(box, sourceWidth, sourceHeight, spec, pre);
        int x0 = (int) Math.max(0, Math.floor(p[0]));
        int y0 = (int) Math.max(0, Math.floor(p[1]));
        int x1 = (int) Math.min(spec.width(), Math.ceil(p[2]));
        int y1 = (int) Math.min(spec.height(), Math.ceil(p[3]));
        return x1 > x0 && y1 > y0 ? new int[] {x0, y0, x1, y1} : null;
    }

    /**
     * As {@link #boxToInput}, without rounding (for drawing the box over the image the model saw): {@code x0, y0, x1,
     * y1} in input pixels, clipped to the input, or {@code null} when nothing of the box is left.
     */
    public static double[] boxOnInput(int[] box, int sourceWidth, int sourceHeight, InputSpec spec,
            Preprocessing pre) {
        double[] p = project(box, sourceWidth, sourceHeight, spec, pre);
        double x0 = Math.max(0, p[0]);
        double y0 = Math.max(0, p[1]);
        double x1 = Math.min(spec.width(), p[2]);
        double y1 = Math.min(spec.height(), p[3]);
        return x1 > x0 && y1 > y0 ? new double[] {x0, y0, x1, y1} : null;
    }

    /** The box through the preprocessing's resize and crop, unclipped. */
    private static double[] project(int[] box, int sourceWidth, int sourceHeight, InputSpec spec, Preprocessing pre) {
        double sx = (double) spec.width() / sourceWidth;
        double sy = (double) spec.height() / sourceHeight;
        double left = 0;
        double top = 0;
        if (pre.resize() == Preprocessing.ResizePolicy.SHORTER_CENTER_CROP) {
            int s = pre.resizeShorter();
            int nw = sourceWidth <= sourceHeight ? s : (int) ((long) s * sourceWidth / sourceHeight);
            int nh = sourceWidth <= sourceHeight ? (int) ((long) s * sourceHeight / sourceWidth) : s;
            if (nw >= spec.width() && nh >= spec.height()) {
                sx = (double) nw / sourceWidth;
                sy = (double) nh / sourceHeight;
                top = Math.rint((nh - spec.height()) / 2.0);
                left = Math.rint((nw - spec.width()) / 2.0);
            }
        }
        return new double[] {box[0] * sx - left, box[1] * sy - top, box[2] * sx - left, box[3] * sy - top};
    }
}
