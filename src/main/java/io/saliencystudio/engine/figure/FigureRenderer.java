package io.saliencystudio.engine.figure;

import io.saliencystudio.engine.render.Colormap;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;

/**
 * Draws a {@link Figure}'s display list onto any {@link Graphics2D} in points: a raster image for PNG and previews,
 * JFreeSVG's SVG graphics for SVG. Map pixels are drawn nearest-neighbour (a heatmap is never smoothed); text is
 * antialiased.
 */
public final class FigureRenderer {

    private FigureRenderer() {}

    /** The figure as an opaque RGB image at its DPI. */
    public static BufferedImage raster(Figure figure) {
        BufferedImage img = new BufferedImage(figure.pixelWidth(), figure.pixelHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            g.scale(figure.scale(), figure.scale());
            draw(figure, g);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Draws in points onto {@code g} (already scaled by the caller if it wants pixels). */
    public static void draw(Figure figure, Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        BufferedImage bar = colorBar(figure.spec().colormap());
        for (FigureLayout.Element e : figure.layout().elements()) {
            if (e instanceof FigureLayout.PanelBox p) {
                BufferedImage img = figure.panels().panels().get(p.index()).image();
                drawImage(g, img, p.x(), p.y(), p.w(), p.h());
            } else if (e instanceof FigureLayout.ColorBar b) {
                drawImage(g, bar, b.x(), b.y(), b.w(), b.h());
            } else if (e instanceof FigureLayout.Line l) {
                g.setColor(Color.BLACK);
                g.setStroke(new BasicStroke((float) l.width()));
                g.draw(new Line2D.Double(l.x1(), l.y1(), l.x2(), l.y2()));
            } else if (e instanceof FigureLayout.Text t) {
                Font font = new Font(Font.SANS_SERIF, t.bold() ? Font.BOLD : Font.PLAIN, 1).deriveFont((float) t.size());
                g.setFont(font);
                g.setColor(Color.BLACK);
                double w = font.getStringBounds(t.text(), g.getFontRenderContext()).getWidth();
                double x = t.anchor() < 0 ? t.x() : t.anchor() == 0 ? t.x() - w / 2 : t.x() - w;
                g.drawString(t.text(), (float) x, (float) t.y());
            }
        }
    }

    private static void drawImage(Graphics2D g, BufferedImage img, double x, double y, double w, double h) {
        AffineTransform at = new AffineTransform(w / img.getWidth(), 0, 0, h / img.getHeight(), x, y);
        g.drawImage(img, at, null);
    }

    /** The colour bar as a 1 x 256 image, value 1 at the top. */
    static BufferedImage colorBar(Colormap colormap) {
        BufferedImage bar = new BufferedImage(1, 256, BufferedImage.TYPE_INT_RGB);
        for (int i = 0; i < 256; i++) {
            bar.setRGB(0, 255 - i, colormap.argb(i / 255f));
        }
        return bar;
    }
}
