package io.saliencystudio.app.explain;

import io.saliencystudio.engine.metrics.PointingGame;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.Preprocessing;
import javafx.geometry.Rectangle2D;

/**
 * Maps a box in the file's pixels onto the image the model saw, with the engine's geometry
 * ({@link PointingGame#boxOnInput}), as a JavaFX rectangle. Returns {@code null} when the box falls outside.
 */
final class BoxMapping {

    private BoxMapping() {}

    static Rectangle2D toSeen(int[] box, int srcW, int srcH, InputSpec spec, Preprocessing pre) {
        double[] b = PointingGame.boxOnInput(box, srcW, srcH, spec, pre);
        return b == null ? null : new Rectangle2D(b[0], b[1], b[2] - b[0], b[3] - b[1]);
    }
}
