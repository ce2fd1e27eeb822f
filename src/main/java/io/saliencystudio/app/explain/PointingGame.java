package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Heatmap;

/**
 * The pointing game (Zhang et al. 2016): a hit when the map's maximum falls inside the object's box, allowing their
 * 15-pixel tolerance at 224 px scaled to the input width (about 6 px at 96 px). Ties go to the first maximum in
 * row-major order; a blank map is a miss (it points nowhere).
 */
public final class PointingGame {

    private PointingGame() {}

    /** Tolerance in input pixels for an input {@code width} wide. */
    public static double tolerance(int width) {
        return 15.0 * width / 224;
    }

    /**
     * @param x0 the box in the map's pixel coordinates (the image the model saw), {@code x1}/{@code y1} exclusive
     */
    public static boolean hit(Heatmap map, double x0, double y0, double x1, double y1) {
        if (map.isBlank()) {
            return false;
        }
        int i = map.argMax();
        double x = i % map.width() + 0.5;
        double y = i / map.width() + 0.5;
        double tol = tolerance(map.width());
        double dx = Math.max(0, Math.max(x0 - x, x - x1));
        double dy = Math.max(0, Math.max(y0 - y, y - y1));
        return Math.hypot(dx, dy) <= tol;
    }
}
