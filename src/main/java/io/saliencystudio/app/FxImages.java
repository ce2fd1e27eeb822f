package io.saliencystudio.app;

import io.saliencystudio.app.service.Thumbnail;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.render.Colormap;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;

/**
 * Engine values to JavaFX images. Heatmaps are drawn from the float map through the colormap's float table, so a
 * colormap change re-renders from the cached map without asking the engine anything. Safe on any thread for images
 * not yet in a scene.
 */
public final class FxImages {

    private FxImages() {}

    /** The image the model saw, 8-bit, one image pixel per texel (the view scales it without smoothing). */
    public static WritableImage of(RgbImage image) {
        int w = image.width();
        int h = image.height();
        int[] argb = new int[w * h];
        float[] d = image.data();
        for (int i = 0; i < argb.length; i++) {
            argb[i] = 0xff000000 | (to8(d[i * 3]) << 16) | (to8(d[i * 3 + 1]) << 8) | to8(d[i * 3 + 2]);
        }
        return write(w, h, argb);
    }

    /** The heatmap's normalised values through {@code colormap}, opaque; opacity is the view's business. */
    public static WritableImage of(Heatmap map, Colormap colormap) {
        return of(map.values(), map.width(), map.height(), colormap);
    }

    /** Values in [0, 1] (row-major, {@code width * height}) through {@code colormap}. */
    public static WritableImage of(float[] values, int width, int height, Colormap colormap) {
        int[] argb = new int[width * height];
        float[] rgb = new float[3];
        for (int i = 0; i < argb.length; i++) {
            colormap.color(values[i], rgb);
            argb[i] = 0xff000000 | (unit8(rgb[0]) << 16) | (unit8(rgb[1]) << 8) | unit8(rgb[2]);
        }
        return write(width, height, argb);
    }

    /** A horizontal colour bar {@code width} texels wide, value 0 on the left. */
    public static WritableImage colorBar(Colormap colormap, int width) {
        int[] argb = new int[width];
        for (int x = 0; x < width; x++) {
            argb[x] = colormap.argb(width == 1 ? 0f : (float) x / (width - 1));
        }
        return write(width, 1, argb);
    }

    public static WritableImage of(Thumbnail t) {
        return write(t.width(), t.height(), t.argb());
    }

    private static WritableImage write(int w, int h, int[] argb) {
        WritableImage img = new WritableImage(w, h);
        img.getPixelWriter().setPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
        return img;
    }

    private static int to8(float v) {
        return Math.min(255, Math.max(0, Math.round(v)));
    }

    private static int unit8(float v) {
        return Math.min(255, Math.max(0, Math.round(v * 255f)));
    }
}
