package io.saliencystudio.engine.figure;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.SVGUnits;
import org.jfree.svg.ViewBox;

/**
 * SVG through JFreeSVG: the shared {@link FigureRenderer} drawing, so labels are {@code <text>} and maps are embedded
 * PNG {@code <image>}s, plus a {@code <metadata>} element holding the provenance JSON.
 */
final class SvgFigureWriter {

    private SvgFigureWriter() {}

    static void write(Figure figure, OutputStream out) throws IOException {
        out.write(svg(figure).getBytes(StandardCharsets.UTF_8));
    }

    static String svg(Figure figure) {
        var layout = figure.layout();
        SVGGraphics2D g = new SVGGraphics2D(layout.width(), layout.height(), SVGUnits.PT);
        FigureRenderer.draw(figure, g);
        // width/height are in pt; the viewBox makes one user unit one point, as the layout is.
        String body = g.getSVGElement(null, true, new ViewBox(0, 0, layout.width(), layout.height()), null, null);
        // Heatmap pixels must stay blocks in every viewer, as they are in the PNG.
        body = body.replace("<image ", "<image image-rendering=\"pixelated\" style=\"image-rendering:pixelated\" ");
        int open = body.indexOf('>', body.indexOf("<svg")) + 1;
        String meta = "<metadata id=\"" + Provenance.KEY + "\">"
                + escape(Provenance.flat(figure, "svg").get(Provenance.KEY)) + "</metadata>";
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body.substring(0, open) + meta + body.substring(open);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
