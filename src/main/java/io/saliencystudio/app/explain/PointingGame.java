package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Heatmap;

/**
 * The pointing game as the panels show it: the engine's rule ({@link io.saliencystudio.engine.metrics.PointingGame},
 * the same one {@code evaluate} reports), for a box given in the map's continuous pixel coordinates.
 */
public final class PointingGame {

    private PointingGame() {}

    /** Zhang et al.'s 15 px at 224 px, scaled to an input {@code width} wide (before rounding). */
    public static double tolerance(int width) {
        return io.saliencystudio.engine.metrics.PointingGame.exactTolerance(width);
    }

    /**
     * @param x0 the box in the map's pixel coordinates (the image the model saw), {@code x1}/{@code y1} exclusive; a
     *     partly covered pixel counts as inside
     */
    public static boolean hit(Heatmap map, double x0, double y0, double x1, double y1) {
        int[] box = {(int) Math.floor(x0), (int) Math.floor(y0), (int) Math.ceil(x1), (int) Math.ceil(y1)};
        if (box[2] <= box[0] || box[3] <= box[1]) {
            return false;
        }
        return io.saliencystudio.engine.metrics.PointingGame.play(map, box,
                io.saliencystudio.engine.metrics.PointingGame.toleranceFor(map.width())).hit();
    }
}
