package io.saliencystudio.engine.sanity;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.render.Overlay;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * One method's cascade as a strip image: one overlay per step, left to right from the original model to the fully
 * randomised one, each labelled with what has been randomised so far and its Spearman / SSIM against the original.
 * The overlays are {@link Overlay#composite}s on the image the model saw, enlarged by a whole factor (nearest
 * neighbour, so map pixels stay square) to at least {@value #MIN_PANEL} px. The figure renderer lays out images x
 * methods; a strip is steps of one method, so it is drawn here.
 */
public final class SanityStrip {

    /** Smallest panel side in pixels: a 28 x 28 input is drawn 4x. */
    public static final int MIN_PANEL = 96;
    static final int MARGIN = 8;
    static final int GAP = 6;
    static final int TITLE = 22;
    static final int LABEL = 16;
    static final int CAPTION = 30;

    private SanityStrip() {}

    /**
     * Where things are in a strip: panel {@code i} covers {@code [panelX(i), panelX(i) + panelWidth)} x
     * {@code [panelY, panelY + panelHeight)}, each input pixel drawn as {@code scale x scale}.
     */
    public record Geometry(int panels, int scale, int inputWidth, int inputHeight) {

        public static Geometry of(int panels, int inputWidth, int inputHeight) {
            int side = Math.max(inputWidth, inputHeight);
            int scale = Math.max(1, (MIN_PANEL + side - 1) / side);
            return new Geometry(panels, scale, inputWidth, inputHeight);
        }

        public int panelWidth() {
            return inputWidth * scale;
        }

        public int panelHeight() {
            return inputHeight * scale;
        }

        public int panelX(int i) {
            return MARGIN + i * (panelWidth() + GAP);
        }

        public int panelY() {
            return MARGIN + TITLE + LABEL;
        }

        public int width() {
            return 2 * MARGIN + panels * panelWidth() + (panels - 1) * GAP;
        }

        public int height() {
            return panelY() + panelHeight() + CAPTION + MARGIN;
        }
    }

    /**
     * @param seen the image the model saw (the maps' size)
     * @param colormap for unsigned maps; signed maps use the diverging coolwarm on their symmetric scale
     */
    public static BufferedImage render(SanityReport report, Method method, RgbImage seen, Colormap colormap,
            double opacity) {
        Geometry g = Geometry.of(report.steps().size(), seen.width(), seen.height());
        BufferedImage out = new BufferedImage(g.width(), g.height(), BufferedImage.TYPE_INT_RGB);
        Graphics2D gfx = out.createGraphics();
        try {
            gfx.setColor(Color.WHITE);
            gfx.fillRect(0, 0, g.width(), g.height());
            gfx.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                    RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            gfx.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            for (int i = 0; i < report.steps().size(); i++) {
                SanityStep step = report.steps().get(i);
                Heatmap map = step.maps().get(method);
                if (map == null) {
                    throw new IllegalArgumentException("the report has no " + method.id() + " maps");
                }
                BufferedImage panel = Overlay.composite(seen, map, map.signed() ? Colormap.COOLWARM : colormap, opacity);
                gfx.drawImage(panel, g.panelX(i), g.panelY(), g.panelWidth(), g.panelHeight(), null);
                gfx.setColor(Color.BLACK);
                gfx.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
                String label = i == 0 ? "original" : "+" + report.groups().get(i - 1);
                text(gfx, label, g.panelX(i), g.panelY() - 4, g.panelWidth());
                // a blank map (e.g. an all-negative Grad-CAM) is said to be blank, not shown as if it were information
                text(gfx, String.format(Locale.ROOT, "\u03c1 %.2f%s", step.spearman().get(method),
                        map.isBlank() ? " (blank)" : ""), g.panelX(i),
                        g.panelY() + g.panelHeight() + 13, g.panelWidth());
                text(gfx, String.format(Locale.ROOT, "SSIM %.2f", step.ssim().get(method)), g.panelX(i),
                        g.panelY() + g.panelHeight() + 26, g.panelWidth());
            }
            gfx.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
            text(gfx, title(report, method), MARGIN, MARGIN + 13, g.width() - 2 * MARGIN);
        } finally {
            gfx.dispose();
        }
        return out;
    }

    /** "Grad-CAM, class star: passes (final Spearman 0.18 < 0.50)". */
    static String title(SanityReport report, Method method) {
        double last = report.last().spearman().get(method);
        boolean flagged = Boolean.TRUE.equals(report.flagged().get(method));
        String target = report.target() == null ? "" : ", class " + report.target().label();
        return String.format(Locale.ROOT, "%s%s: %s (final Spearman %.2f %s %.2f)", method.displayName(), target,
                flagged ? "FLAGGED, barely changes" : "passes", last, flagged ? ">=" : "<", report.threshold());
    }

    /** Draws text left-aligned at (x, baseline), cut with an ellipsis to fit {@code width}. */
    private static void text(Graphics2D gfx, String s, int x, int baseline, int width) {
        FontMetrics fm = gfx.getFontMetrics();
        String shown = s;
        while (fm.stringWidth(shown) > width && shown.length() > 1) {
            shown = shown.substring(0, shown.length() - (shown.endsWith("\u2026") ? 2 : 1)) + "\u2026";
        }
        gfx.drawString(shown, x, baseline);
    }
}
