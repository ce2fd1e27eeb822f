package io.saliencystudio.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessMetric;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.metrics.FaithfulnessSummary;
import io.saliencystudio.engine.metrics.PointingGame;
import io.saliencystudio.engine.metrics.Road;
import io.saliencystudio.engine.metrics.RoadMetric;
import io.saliencystudio.engine.metrics.Spread;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.TorchRuntime;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code evaluate}'s results: one row per image and method, means per method, as a table, CSV and JSON. */
final class EvaluationReport {

    /**
     * @param pointing {@code null} when the image has no ground-truth box (or it fell outside the model input)
     * @param box the box in input pixels, {@code null} with {@code pointing}
     */
    record Row(String image, Method method, int classIndex, String label, Faithfulness faithfulness,
            PointingGame.Result pointing, int[] box, boolean blank, double explainMs, double metricsMs, Road road) {}

    /** Means of one method over the images; {@code boxes} counts the images with a box. */
    record Mean(Method method, int images, double deletionAuc, double insertionAuc, double averageDrop,
            double increaseRate, int hits, int boxes, double roadMorf, double roadLerf) {

        /** ROAD's combined score, {@code (LeRF - MoRF) / 2}; NaN without --road. */
        double road() {
            return (roadLerf - roadMorf) / 2;
        }

        /** Share of pointing-game hits, NaN without boxes. */
        double pointingAccuracy() {
            return boxes == 0 ? Double.NaN : (double) hits / boxes;
        }
    }

    static final String CSV_HEADER = "image,method,class,label,deletion_auc,insertion_auc,original_score,"
            + "masked_score,average_drop,increase,pointing_hit,max_x,max_y,blank,explain_ms,metrics_ms,road_morf,road_lerf,"
            + "road";

    private final ModelPackage pkg;
    private final Set<Method> methods;
    private final FaithfulnessSettings protocol;
    private final RoadMetric.Settings road;
    private final MethodSettings settings;
    private final String layer;
    private final InputSpec spec;
    private final List<Row> rows = new ArrayList<>();
    /** The per-method spread of every metric, the same aggregation as the app's "Evaluate selection". */
    private final FaithfulnessSummary summary = new FaithfulnessSummary();
    private int images;
    private double totalMs;

    EvaluationReport(ModelPackage pkg, Set<Method> methods, FaithfulnessSettings protocol, RoadMetric.Settings road,
            MethodSettings settings, String layer) {
        this.pkg = pkg;
        this.methods = methods;
        this.protocol = protocol;
        this.road = road;
        this.settings = settings;
        this.layer = layer;
        this.spec = pkg.manifest().input();
    }

    void add(Row row) {
        rows.add(row);
        summary.add(row.image(), row.method(), row.faithfulness(), row.road());
    }

    /** Counts one more evaluated image and the wall time it took (explanations and metrics, all methods). */
    void imageDone(double millis) {
        images++;
        totalMs += millis;
    }

    List<Row> rows() {
        return List.copyOf(rows);
    }

    double msPerImage() {
        return images == 0 ? Double.NaN : totalMs / images;
    }

    Map<Method, Mean> means() {
        Map<Method, Mean> out = new LinkedHashMap<>();
        for (Method m : methods) {
            List<Row> of = rows.stream().filter(r -> r.method() == m).toList();
            if (of.isEmpty()) {
                continue;
            }
            List<Row> boxed = of.stream().filter(r -> r.pointing() != null).toList();
            out.put(m, new Mean(m, of.size(), mean(m, FaithfulnessMetric.DELETION_AUC),
                    mean(m, FaithfulnessMetric.INSERTION_AUC), mean(m, FaithfulnessMetric.AVERAGE_DROP),
                    mean(m, FaithfulnessMetric.INCREASE),
                    (int) boxed.stream().filter(r -> r.pointing().hit()).count(), boxed.size(),
                    mean(m, FaithfulnessMetric.ROAD_MORF), mean(m, FaithfulnessMetric.ROAD_LERF)));
        }
        return out;
    }

    /** The mean of one metric over the method's images; NaN when it was not computed (ROAD without --road). */
    private double mean(Method m, FaithfulnessMetric metric) {
        return summary.spread(m, metric).mean();
    }

    /** The spread (n, mean, sd, median, quartiles, range) of every metric per method. */
    FaithfulnessSummary summary() {
        return summary;
    }

    /** What the numbers were measured with, in one line. */
    String protocolLine() {
        return String.format(Locale.ROOT, "RISE deletion/insertion: %d px per step, %s, deletion substrate mean colour, "
                + "insertion blur sigma %.2f px; average drop with the normalised map as mask; pointing tolerance %d px",
                protocol.pixelsPerStepFor(spec.width()), protocol.probability() ? "softmax probability" : "logit",
                protocol.blurSigmaFor(spec.width()), PointingGame.toleranceFor(spec.width()))
                + (road == null ? "" : String.format(Locale.ROOT, "; ROAD at 10..90%%, noisy linear imputation (noise %s)",
                        road.noise()));
    }

    /** The short table on stdout: means per method. */
    void printTable(PrintWriter out) {
        out.printf(Locale.ROOT, "model %s, %d images, %s%n", pkg.id(), images, protocolLine());
        out.printf(Locale.ROOT, "%-12s %6s %12s %13s %9s %9s %9s%s%n", "method", "images", "deletion AUC",
                "insertion AUC", "avg drop", "increase", "pointing",
                road == null ? "" : String.format(Locale.ROOT, " %9s %9s %9s", "ROAD MoRF", "ROAD LeRF", "ROAD"));
        for (Mean m : means().values()) {
            out.printf(Locale.ROOT, "%-12s %6d %12.4f %13.4f %9.4f %9.3f %9s%s%n", m.method().id(), m.images(),
                    m.deletionAuc(), m.insertionAuc(), m.averageDrop(), m.increaseRate(),
                    m.boxes() == 0 ? "-" : m.hits() + "/" + m.boxes(), road == null ? ""
                            : String.format(Locale.ROOT, " %9.4f %9.4f %9.4f", m.roadMorf(), m.roadLerf(), m.road()));
        }
        out.println("(lower deletion AUC and average drop, higher insertion AUC, increase and pointing = more faithful"
                + (road == null ? ")" : "; lower ROAD MoRF, higher ROAD LeRF and ROAD = more faithful)"));
        out.printf(Locale.ROOT, "time per image: %.0f ms (explanations and metrics for %d method%s)%n", msPerImage(),
                methods.size(), methods.size() == 1 ? "" : "s");
    }

    /** One row per image and method, then one {@code (mean)} row per method (increase and pointing as rates). */
    String csv() {
        StringWriter w = new StringWriter();
        PrintWriter out = new PrintWriter(w);
        out.println(CSV_HEADER);
        for (Row r : rows) {
            Faithfulness f = r.faithfulness();
            PointingGame.Result p = r.pointing();
            out.println(String.join(",", csvField(r.image()), r.method().id(), Integer.toString(r.classIndex()),
                    csvField(r.label()), num(f.deletion().auc()), num(f.insertion().auc()), num(f.originalScore()),
                    num(f.maskedScore()), num(f.averageDrop()), f.increase() ? "1" : "0",
                    p == null ? "" : p.hit() ? "1" : "0", p == null ? "" : Integer.toString(p.x()),
                    p == null ? "" : Integer.toString(p.y()), r.blank() ? "1" : "0", ms(r.explainMs()),
                    ms(r.metricsMs()), r.road() == null ? "" : num(r.road().morfMean()),
                    r.road() == null ? "" : num(r.road().lerfMean()), r.road() == null ? "" : num(r.road().combined())));
        }
        for (Mean m : means().values()) {
            out.println(String.join(",", "(mean)", m.method().id(), "", "", num(m.deletionAuc()), num(m.insertionAuc()),
                    "", "", num(m.averageDrop()), num(m.increaseRate()),
                    m.boxes() == 0 ? "" : num(m.pointingAccuracy()), "", "", "", "", "", num(m.roadMorf()),
                    num(m.roadLerf()), num(m.road())));
        }
        out.flush();
        return w.toString();
    }

    void writeCsv(Path file) throws IOException {
        write(file, csv());
    }

    void writeJson(Path file) throws IOException {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.putObject("model").put("id", pkg.id()).put("name", pkg.manifest().name())
                .put("sha256", pkg.manifest().sha256()).put("input", spec.toString());
        ObjectNode p = root.putObject("protocol");
        p.put("pixelsPerStep", protocol.pixelsPerStepFor(spec.width()))
                .put("score", protocol.probability() ? "probability" : "logit")
                .put("deletionSubstrate", "0 in normalised space (mean colour)")
                .put("insertionSubstrate", "Gaussian blur, separable, edges clamped, kernel to ceil(3 sigma)")
                .put("insertionBlurSigma", protocol.blurSigmaFor(spec.width()))
                .put("ranking", "raw map value, descending, ties by pixel index")
                .put("auc", "trapezoid over the fraction of pixels changed")
                .put("averageDrop", "O = score(x * mask), mask = map normalised to [0, 1] (signed: positive part / max)")
                .put("pointingTolerance", PointingGame.toleranceFor(spec.width()))
                .put("pointing", "argmax of the raw map (ties: first) within the box grown by the tolerance (disc)");
        if (road != null) {
            ArrayNode rf = p.putObject("road").put("imputation", "noisy linear (ROAD), neighbours 1/6 direct, 1/12 diagonal")
                    .put("noise", road.noise()).put("seed", road.seed())
                    .put("masks", "v >= percentile(v, 100 (1 - f)) (MoRF), 1 - v >= percentile(1 - v, 100 (1 - f)) (LeRF),"
                            + " v = normalised map, as pytorch-grad-cam").putArray("fractions");
            for (double f : RoadMetric.FRACTIONS) {
                rf.add(f);
            }
        }
        p.put("layer", layer);
        ObjectNode methodSettings = root.putObject("methodSettings");
        methods.forEach(m -> methodSettings.set(m.id(), mapper.valueToTree(settings.describe(m))));
        if (!rows.isEmpty()) {
            ArrayNode fr = p.putArray("fractions");
            for (double v : rows.get(0).faithfulness().deletion().fractions()) {
                fr.add(v);
            }
        }
        ArrayNode list = root.putArray("results");
        for (Row r : rows) {
            Faithfulness f = r.faithfulness();
            ObjectNode n = list.addObject().put("image", r.image()).put("method", r.method().id())
                    .put("class", r.classIndex()).put("label", r.label())
                    .put("deletionAuc", f.deletion().auc()).put("insertionAuc", f.insertion().auc())
                    .put("originalScore", f.originalScore()).put("maskedScore", f.maskedScore())
                    .put("averageDrop", f.averageDrop()).put("increase", f.increase()).put("blank", r.blank())
                    .put("explainMs", r.explainMs()).put("metricsMs", r.metricsMs());
            if (r.pointing() != null) {
                PointingGame.Result pg = r.pointing();
                ObjectNode pn = n.putObject("pointing").put("hit", pg.hit()).put("x", pg.x()).put("y", pg.y());
                ArrayNode box = pn.putArray("box");
                for (int v : r.box()) {
                    box.add(v);
                }
            }
            if (r.road() != null) {
                ObjectNode rn = n.putObject("road").put("morf", r.road().morfMean()).put("lerf", r.road().lerfMean())
                        .put("combined", r.road().combined());
                ArrayNode morf = rn.putArray("morfScores");
                ArrayNode lerf = rn.putArray("lerfScores");
                for (int i = 0; i < r.road().morf().length; i++) {
                    morf.add(r.road().morf()[i]);
                    lerf.add(r.road().lerf()[i]);
                }
            }
            ArrayNode del = n.putArray("deletion");
            for (double v : f.deletion().scores()) {
                del.add(v);
            }
            ArrayNode ins = n.putArray("insertion");
            for (double v : f.insertion().scores()) {
                ins.add(v);
            }
        }
        ObjectNode means = root.putObject("means");
        for (Mean m : means().values()) {
            ObjectNode n = means.putObject(m.method().id()).put("images", m.images())
                    .put("deletionAuc", m.deletionAuc()).put("insertionAuc", m.insertionAuc())
                    .put("averageDrop", m.averageDrop()).put("increaseRate", m.increaseRate())
                    .put("pointingHits", m.hits()).put("pointingImages", m.boxes());
            if (m.boxes() > 0) {
                n.put("pointingAccuracy", m.pointingAccuracy());
            }
            if (road != null) {
                n.put("roadMorf", m.roadMorf()).put("roadLerf", m.roadLerf()).put("road", m.road());
            }
            ObjectNode spread = n.putObject("spread");
            for (FaithfulnessSummary.Line l : summary.lines()) {
                if (l.method() == m.method()) {
                    Spread s = l.spread();
                    ObjectNode o = spread.putObject(l.metric().id()).put("n", s.n()).put("mean", s.mean())
                            .put("median", s.median()).put("q1", s.q1()).put("q3", s.q3()).put("min", s.min())
                            .put("max", s.max()).put("better", l.metric().higherIsBetter() ? "higher" : "lower");
                    if (s.n() > 1) {
                        o.put("sd", s.sd()); // undefined for one image: left out, since JSON has no NaN
                    }
                }
            }
        }
        root.putObject("timing").put("images", images).put("msPerImage", msPerImage());
        root.putObject("app").put("version", Versions.app()).put("engine", "DJL PyTorch " + TorchRuntime.version())
                .put("threads", TorchRuntime.threads()).put("date", OffsetDateTime.now().toString());
        write(file, mapper.writeValueAsString(root));
    }

    private static void write(Path file, String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new IOException("cannot write " + file + " (" + e.getMessage() + "): choose a writable path");
        }
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /** Quotes a field that holds a comma, quote or line break (RFC 4180). */
    static String csvField(String s) {
        return s == null ? "" : FaithfulnessSummary.csvField(s);
    }
}
