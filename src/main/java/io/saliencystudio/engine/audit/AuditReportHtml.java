package io.saliencystudio.engine.audit;

import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.figure.SafeWrite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@code report.html}: one self-contained page that opens offline: inline CSS, inline SVG charts, images as
 * {@code data:} URIs, no script and no external reference. Sections: summary, confusion matrix (heat map of row
 * fractions, counts in the cells), per-class table, reliability diagram, the most confident mistakes and the least
 * confident correct images with their overlays, and the skipped files.
 */
public final class AuditReportHtml {

    public static final String FILE_NAME = "report.html";

    /** One overlay (or the image itself) under a title, as PNG bytes. */
    public record Panel(String title, byte[] png) {}

    /** One image shown in the report: its row and panels (the image the model saw, then one per method). */
    public record Example(AuditRow row, List<Panel> panels) {}

    /** Everything on the page. */
    public record Content(String title, List<String> labels, AuditTally tally, List<Skipped> skipped,
            AuditSummary.RunInfo run, String explained, List<Example> mistakes, List<Example> unsure,
            byte[] classMapsPng, String classMapsCaption) {

        public Content(String title, List<String> labels, AuditTally tally, List<Skipped> skipped,
                AuditSummary.RunInfo run, String explained, List<Example> mistakes, List<Example> unsure) {
            this(title, labels, tally, skipped, run, explained, mistakes, unsure, null, null);
        }
    }

    private AuditReportHtml() {}

    public static void write(Path file, Content c) throws IOException {
        byte[] bytes = html(c).getBytes(StandardCharsets.UTF_8);
        SafeWrite.write(file, true, out -> out.write(bytes));
    }

    public static String html(Content c) {
        StringBuilder h = new StringBuilder(1 << 16);
        AuditTally t = c.tally();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(c.title())).append("</title>\n<style>\n")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1200px}")
                .append("h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ddd}")
                .append("table{border-collapse:collapse}td,th{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}")
                .append("td:first-child,th:first-child{text-align:left}.facts td{text-align:left}")
                .append(".cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #ddd;border-radius:6px;padding:8px}")
                .append(".card .imgs{display:flex;gap:6px}.card figure{margin:0;text-align:center;font-size:12px}")
                .append(".card img{width:128px;height:128px;image-rendering:pixelated;display:block}")
                .append(".bad{color:#b00020}.ok{color:#1b5e20}svg text{font:11px system-ui,sans-serif}")
                .append("\n</style></head><body>\n");
        h.append("<h1>").append(esc(c.title())).append("</h1>\n");
        summary(h, c);
        confusion(h, t, c.labels());
        classes(h, t, c.labels());
        reliability(h, t);
        examples(h, "mistakes", "Most confident mistakes", c.mistakes(), c.labels(), c.explained(),
                "Wrong predictions with the highest confidence, most confident first.");
        examples(h, "unsure", "Least confident correct", c.unsure(), c.labels(), c.explained(),
                "Correct predictions with the lowest confidence, least confident first.");
        if (c.classMapsPng() != null) {
            h.append("<h2 id=\"class-maps\">Mean maps per class</h2>\n<p>").append(esc(c.classMapsCaption()))
                    .append("</p>\n<img alt=\"Mean maps per class, right and wrong\" style=\"max-width:100%\" ")
                    .append("src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(c.classMapsPng()))
                    .append("\">\n");
        }
        skipped(h, c.skipped());
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, Content c) {
        AuditTally t = c.tally();
        AuditSummary.RunInfo run = c.run();
        h.append("<section id=\"summary\"><h2>Summary</h2><table class=\"facts\">\n");
        row(h, "model", run.model().getOrDefault("id", "") + " (" + run.model().getOrDefault("name", "") + ")");
        row(h, "model sha256", run.model().getOrDefault("sha256", ""));
        row(h, "data set", run.dataset() + " (" + run.layout() + ")");
        row(h, "images", Long.toString(t.images()));
        row(h, "accuracy", pct(t.accuracy()));
        row(h, "top-5 accuracy", pct(t.top5Accuracy()));
        row(h, "expected calibration error", fmt(t.expectedCalibrationError(), 4) + " (15 equal-width bins)");
        row(h, "skipped files", Integer.toString(c.skipped().size()));
        Double ips = run.imagesPerSecond();
        row(h, "speed", (ips == null ? "-" : String.format(Locale.ROOT, "%.0f images/s", ips))
                + " after start-up (decoding included), start-up " + fmt(run.startupSeconds(), 2) + " s"
                + (run.resumedRows() > 0 ? "; " + run.resumedRows() + " rows resumed from an earlier run" : ""));
        h.append("</table></section>\n");
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><td>").append(esc(k)).append("</td><td>").append(esc(v)).append("</td></tr>\n");
    }

    private static void confusion(StringBuilder h, AuditTally t, List<String> labels) {
        int k = t.classes();
        int cell = k <= 12 ? 40 : k <= 30 ? 22 : Math.max(3, 600 / k);
        boolean names = k <= 60;
        boolean counts = k <= 20;
        int left = names ? 12 + 7 * labels.stream().mapToInt(String::length).max().orElse(4) : 10;
        int top = left;
        int w = left + k * cell + 10;
        h.append("<section id=\"confusion\"><h2>Confusion matrix</h2>\n<p>Rows: true class; columns: predicted class. "
                + "Colour: the fraction of the row (viridis, 0 to 1); numbers: images.</p>\n");
        h.append("<svg width=\"").append(w).append("\" height=\"").append(w)
                .append("\" role=\"img\">\n");
        for (int i = 0; i < k; i++) {
            long rowSum = 0;
            for (int j = 0; j < k; j++) {
                rowSum += t.count(i, j);
            }
            if (names) {
                h.append("<text x=\"").append(left - 4).append("\" y=\"").append(top + i * cell + cell / 2 + 4)
                        .append("\" text-anchor=\"end\">").append(esc(labels.get(i))).append("</text>\n");
                h.append("<text transform=\"translate(").append(left + i * cell + cell / 2 + 4).append(',')
                        .append(top - 4).append(") rotate(-90)\">").append(esc(labels.get(i))).append("</text>\n");
            }
            for (int j = 0; j < k; j++) {
                long n = t.count(i, j);
                float frac = rowSum == 0 ? 0f : (float) n / rowSum;
                int argb = Colormap.VIRIDIS.argb(frac);
                h.append("<rect x=\"").append(left + j * cell).append("\" y=\"").append(top + i * cell)
                        .append("\" width=\"").append(cell).append("\" height=\"").append(cell).append("\" fill=\"")
                        .append(String.format("#%06x", argb & 0xffffff)).append("\"><title>true ")
                        .append(esc(labels.get(i))).append(", predicted ").append(esc(labels.get(j))).append(": ")
                        .append(n).append("</title></rect>\n");
                if (counts && n > 0) {
                    h.append("<text x=\"").append(left + j * cell + cell / 2).append("\" y=\"")
                            .append(top + i * cell + cell / 2 + 4).append("\" text-anchor=\"middle\" fill=\"")
                            .append(frac > 0.6 ? "#000" : "#fff").append("\">").append(n).append("</text>\n");
                }
            }
        }
        h.append("</svg></section>\n");
    }

    private static void classes(StringBuilder h, AuditTally t, List<String> labels) {
        h.append("<section id=\"classes\"><h2>Per class</h2>\n<table><tr><th>class</th><th>support</th>"
                + "<th>predicted</th><th>precision</th><th>recall</th><th>F1</th></tr>\n");
        for (int k = 0; k < t.classes(); k++) {
            AuditTally.ClassStats s = t.classStats(k);
            h.append("<tr><td>").append(esc(labels.get(k))).append("</td><td>").append(s.support())
                    .append("</td><td>").append(s.predicted()).append("</td><td>").append(opt(s.precision()))
                    .append("</td><td>").append(opt(s.recall())).append("</td><td>").append(opt(s.f1()))
                    .append("</td></tr>\n");
        }
        h.append("</table></section>\n");
    }

    private static void reliability(StringBuilder h, AuditTally t) {
        int size = 300;
        int pad = 40;
        h.append("<section id=\"reliability\"><h2>Reliability diagram</h2>\n<p>Accuracy per confidence bin (15 "
                + "equal-width bins of the top-1 probability); the diagonal is perfect calibration, the outlined "
                + "boxes the bins' mean confidence. ECE ").append(fmt(t.expectedCalibrationError(), 4)).append(".</p>\n");
        h.append("<svg width=\"").append(size + 2 * pad).append("\" height=\"")
                .append(size + 2 * pad).append("\" role=\"img\">\n");
        h.append("<rect x=\"").append(pad).append("\" y=\"").append(pad).append("\" width=\"").append(size)
                .append("\" height=\"").append(size).append("\" fill=\"#fafafa\" stroke=\"#999\"/>\n");
        for (AuditTally.Bin b : t.bins()) {
            if (b.count() == 0) {
                continue;
            }
            double x = pad + b.lower() * size;
            double bw = (b.upper() - b.lower()) * size;
            double acc = b.accuracy() * size;
            double conf = b.confidence() * size;
            h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"#3b75af\"><title>confidence %.3f-%.3f: %d images, accuracy %.3f, mean confidence %.3f"
                    + "</title></rect>\n", x, pad + size - acc, bw, acc, b.lower(), b.upper(), b.count(),
                    b.accuracy(), b.confidence()));
            h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                    + "fill=\"none\" stroke=\"#c0392b\" stroke-dasharray=\"3,2\"/>\n", x, pad + size - conf, bw, conf));
        }
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\" "
                + "stroke-dasharray=\"4,3\"/>\n", pad, pad + size, pad + size, pad));
        for (int i = 0; i <= 5; i++) {
            double v = i / 5.0;
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.1f</text>\n",
                    pad + v * size, pad + size + 14, v));
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n",
                    pad - 4, pad + size - v * size + 4, v));
        }
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">confidence</text>\n",
                pad + size / 2, pad + size + 30));
        h.append(String.format(Locale.ROOT, "<text transform=\"translate(%d,%d) rotate(-90)\" "
                + "text-anchor=\"middle\">accuracy</text>\n", 12, pad + size / 2));
        h.append("</svg></section>\n");
    }

    private static void examples(StringBuilder h, String id, String title, List<Example> examples,
            List<String> labels, String explained, String what) {
        h.append("<section id=\"").append(id).append("\"><h2>").append(esc(title)).append("</h2>\n<p>")
                .append(esc(what)).append(' ').append(esc(explained)).append("</p>\n");
        if (examples.isEmpty()) {
            h.append("<p>None.</p>");
        }
        h.append("<div class=\"cards\">\n");
        for (Example e : examples) {
            AuditRow r = e.row();
            h.append("<div class=\"card\"><div><b>").append(esc(r.image())).append("</b></div><div>true ")
                    .append(esc(labels.get(r.trueIndex()))).append(", predicted <span class=\"")
                    .append(r.correct() ? "ok" : "bad").append("\">").append(esc(labels.get(r.predicted())))
                    .append("</span> ").append(fmt(r.confidence(), 3)).append(", p(true) ")
                    .append(fmt(r.trueProbability(), 3)).append("</div>\n<div class=\"imgs\">");
            for (Panel p : e.panels()) {
                h.append("<figure><img alt=\"").append(esc(p.title())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(p.png())).append("\"><figcaption>")
                        .append(esc(p.title())).append("</figcaption></figure>");
            }
            h.append("</div></div>\n");
        }
        h.append("</div></section>\n");
    }

    private static void skipped(StringBuilder h, List<Skipped> skipped) {
        h.append("<section id=\"skipped\"><h2>Skipped files</h2>\n");
        if (skipped.isEmpty()) {
            h.append("<p>None.</p>");
        } else {
            h.append("<table><tr><th>file</th><th>reason</th></tr>\n");
            for (Skipped s : skipped) {
                h.append("<tr><td>").append(esc(s.file())).append("</td><td style=\"text-align:left\">")
                        .append(esc(s.reason())).append("</td></tr>\n");
            }
            h.append("</table>");
        }
        h.append("</section>\n");
    }

    private static String opt(Double v) {
        return v == null ? "-" : fmt(v, 3);
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * v);
    }

    private static String fmt(double v, int digits) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
