package io.saliencystudio.app.explain;

import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.render.Overlay;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Writes what the panels show (image | saliency | Grad-CAM, with the current colormap, scaling and opacities) as one
 * PNG,
 * through the engine's float compositor, off the UI thread. Each panel is enlarged by whole pixels (nearest
 * neighbour) to at least 256 pixels so small inputs stay legible.
 */
public final class FigureExport {

    private FigureExport() {}

    public static BufferedImage compose(ExplainOutcome out, Colormap colormap, MapScaling scaling,
            double saliencyOpacity, double gradCamOpacity) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(Overlay.image(out.seen()));
        Heatmap sal = scaled(out.map(Method.SALIENCY), scaling);
        if (sal != null) {
            panels.add(Overlay.composite(out.seen(), sal, colormap, saliencyOpacity));
        }
        Heatmap cam = scaled(out.map(Method.GRADCAM), scaling);
        if (cam != null) {
            panels.add(Overlay.composite(out.seen(), cam, colormap, cam.isBlank() ? 0 : gradCamOpacity));
        }
        int w = out.seen().width();
        int h = out.seen().height();
        int k = Math.max(1, (int) Math.ceil(256.0 / Math.max(w, h)));
        int gap = 8;
        BufferedImage fig = new BufferedImage(panels.size() * w * k + (panels.size() - 1) * gap, h * k,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = fig.createGraphics();
        try {
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(0, 0, fig.getWidth(), fig.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            for (int i = 0; i < panels.size(); i++) {
                g.drawImage(panels.get(i), i * (w * k + gap), 0, w * k, h * k, null);
            }
        } finally {
            g.dispose();
        }
        return fig;
    }

    private static Heatmap scaled(Heatmap map, MapScaling scaling) {
        return map == null || scaling == MapScaling.MIN_MAX ? map
                : new Heatmap(map.width(), map.height(), map.raw(), scaling.scale(map), map.rawMin(), map.rawMax());
    }

    public static void write(BufferedImage figure, Path file) {
        try {
            if (!ImageIO.write(figure, "png", file.toFile())) {
                throw new IOException("no PNG writer");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }
}
