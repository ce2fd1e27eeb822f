package io.saliencystudio.app.explain;

import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.Preprocessing;
import javafx.geometry.Rectangle2D;

/**
 * Maps a box in the file's pixels onto the image the model saw, following the same geometry as the engine's
 * preprocessing (stretch, or shorter-side resize then centre crop). Returns {@code null} when the box falls outside.
 */
final class BoxMapping {

    private BoxMapping() {}

    static Rectangle2D toSeen(int[] box, int srcW, int srcH, InputSpec spec, Preprocessing pre) {
        double sx;
        double sy;
        double left = 0;
        double top = 0;
        if (pre.resize() == Preprocessing.ResizePolicy.SHORTER_CENTER_CROP) {
            int s = pre.resizeShorter();
            int nw = srcW <= srcH ? s : (int) ((long) s * srcW / srcH);
            int nh = srcW <= srcH ? (int) ((long) s * srcH / srcW) : s;
            if (nw < spec.width() || nh < spec.height()) {
                sx = (double) spec.width() / srcW;
                sy = (double) spec.height() / srcH;
            } else {
                sx = (double) nw / srcW;
                sy = (double) nh / srcH;
                top = Math.round((nh - spec.height()) / 2.0);
                left = Math.round((nw - spec.width()) / 2.0);
            }
        } else {
            sx = (double) spec.width() / srcW;
            sy = (double) spec.height() / srcH;
        }
        double x0 = Math.max(0, box[0] * sx - left);
        double y0 = Math.max(0, box[1] * sy - top);
        double x1 = Math.min(spec.width(), box[2] * sx - left);
        double y1 = Math.min(spec.height(), box[3] * sy - top);
        return x1 > x0 && y1 > y0 ? new Rectangle2D(x0, y0, x1 - x0, y1 - y0) : null;
    }
}
