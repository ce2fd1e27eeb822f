package io.saliencystudio.engine.figure;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.Map;
import java.util.TimeZone;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * PDF through PDFBox, following the same {@link FigureLayout}: Helvetica text and colour bar axes as vector
 * operators, panel maps as lossless images drawn without interpolation, provenance in the document information.
 */
final class PdfFigureWriter {

    private PdfFigureWriter() {}

    static void write(Figure figure, OutputStream out) throws IOException {
        var layout = figure.layout();
        double pageH = layout.height();
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle((float) layout.width(), (float) pageH));
            doc.addPage(page);
            PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
            PDImageXObject bar = LosslessFactory.createFromImage(doc, FigureRenderer.colorBar(figure.spec().colormap()));
            PDImageXObject[] images = new PDImageXObject[figure.panels().panels().size()];
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                for (FigureLayout.Element e : layout.elements()) {
                    if (e instanceof FigureLayout.PanelBox p) {
                        if (images[p.index()] == null) {
                            BufferedImage img = figure.panels().panels().get(p.index()).image();
                            images[p.index()] = LosslessFactory.createFromImage(doc, img);
                            images[p.index()].setInterpolate(false);
                        }
                        cs.drawImage(images[p.index()], (float) p.x(), (float) (pageH - p.y() - p.h()), (float) p.w(), (float) p.h());
                    } else if (e instanceof FigureLayout.ColorBar b) {
                        cs.drawImage(bar, (float) b.x(), (float) (pageH - b.y() - b.h()), (float) b.w(), (float) b.h());
                    } else if (e instanceof FigureLayout.Line l) {
                        cs.setLineWidth((float) l.width());
                        cs.moveTo((float) l.x1(), (float) (pageH - l.y1()));
                        cs.lineTo((float) l.x2(), (float) (pageH - l.y2()));
                        cs.stroke();
                    } else if (e instanceof FigureLayout.Text t) {
                        PDType1Font font = t.bold() ? bold : regular;
                        String s = encodable(font, t.text());
                        double w = font.getStringWidth(s) / 1000 * t.size();
                        double x = t.anchor() < 0 ? t.x() : t.anchor() == 0 ? t.x() - w / 2 : t.x() - w;
                        cs.beginText();
                        cs.setFont(font, (float) t.size());
                        cs.newLineAtOffset((float) x, (float) (pageH - t.y()));
                        cs.showText(s);
                        cs.endText();
                    }
                }
            }
            info(doc, figure);
            doc.save(out);
        }
    }

    private static void info(PDDocument doc, Figure figure) {
        PDDocumentInformation info = doc.getDocumentInformation();
        Map<String, String> flat = Provenance.flat(figure, "pdf");
        info.setTitle(flat.get("Title"));
        info.setCreator(flat.get("Software"));
        info.setProducer(flat.get("Software") + " (PDFBox)");
        info.setSubject("Saliency maps of model " + figure.spec().model().id());
        Calendar date = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
        date.setTimeInMillis(figure.spec().created().toEpochMilli());
        info.setCreationDate(date);
        flat.forEach((k, v) -> {
            if (k.startsWith(Provenance.PREFIX)) {
                info.setCustomMetadataValue(k, v);
            }
        });
    }

    /** The standard fonts cover WinAnsi only; anything else becomes '?' rather than failing the export. */
    static String encodable(PDType1Font font, String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            try {
                font.encode(String.valueOf(c));
                b.append(c);
            } catch (IllegalArgumentException | IOException e) {
                b.append('?');
            }
        }
        return b.toString();
    }
}
