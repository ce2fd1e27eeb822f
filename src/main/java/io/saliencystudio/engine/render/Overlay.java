package io.saliencystudio.engine.render;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.image.RgbImage;
import java.awt.image.BufferedImage;

/**
 * Heatmap-over-image compositing. The slider means one thing, heatmap opacity: {@code out = (1 - a) * image +
 * a * colormap(value)}, blended in floating point and rounded to 8 bits once, at the end; the composite is not
 * renormalised.
 */
public final class Overlay {

    private Overlay() {}

    /**
     * @param image the image the model saw (same size as the map)
     * @param map normalised values in [0, 1]
     * @param opacity heatmap opacity in [0, 1]
     */
    public static BufferedImage composite(RgbImage image, Heatmap map, Colormap colormap, double opacity) {
        if (image.width() != map.width() || image.height() != map.height()) {
            throw new IllegalArgumentException("image " + image.width() + "x" + image.height() + " and map "
                    + map.width() + "x" + map.height() + " differ in size");
        }
        float a = (float) Math.min(1, Math.max(0, opacity));
        int w = image.width();
        int h = image.height();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float[] rgb = new float[3];
        float[] px = image.data();
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                colormap.color(map.values()[i], rgb);
                int r = Colormap.to8((1 - a) * px[i * 3] / 255f + a * rgb[0]);
                int g = Colormap.to8((1 - a) * px[i * 3 + 1] / 255f + a * rgb[1]);
                int b = Colormap.to8((1 - a) * px[i * 3 + 2] / 255f + a * rgb[2]);
                row[x] = (r << 16) | (g << 8) | b;
            }
            out.setRGB(0, y, w, 1, row, 0, w);
        }
        return out;
    }

    /** The image alone, as 8-bit RGB. */
    public static BufferedImage image(RgbImage image) {
        BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
        float[] px = image.data();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                int i = (y * image.width() + x) * 3;
                out.setRGB(x, y, (Colormap.to8(px[i] / 255f) << 16) | (Colormap.to8(px[i + 1] / 255f) << 8)
                        | Colormap.to8(px[i + 2] / 255f));
            }
        }
        return out;
    }
}
