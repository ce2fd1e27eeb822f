package io.saliencystudio.engine.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.saliencystudio.engine.figure.SafeWrite;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code summary.json}: the figures of a whole audit, from its {@link AuditTally}, and how it ran. Undefined figures
 * (precision of a class never predicted, recall of a class without images, a rate over no images) are {@code null}.
 */
public final class AuditSummary {

    public static final String FILE_NAME = "summary.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * How the audit ran.
     *
     * @param model {@code id}, {@code name}, {@code sha256} of the model package
     * @param startupSeconds from the command's start to the first batch: engine and model load, warm-up, listing
     * @param imagesThisRun rows computed by this run (a resumed run adds them to the rows it found)
     * @param secondsAfterStartup the time those rows took, decoding included
     * @param resumedRows rows read back from an earlier run's predictions.csv
     * @param extra anything else to record (batch size, threads, versions, date)
     */
    public record RunInfo(Map<String, String> model, String dataset, String layout, double startupSeconds,
            int imagesThisRun, double secondsAfterStartup, int resumedRows, Map<String, Object> extra) {

        public Double imagesPerSecond() {
            return imagesThisRun > 0 && secondsAfterStartup > 0 ? imagesThisRun / secondsAfterStartup : null;
        }
    }

    private AuditSummary() {}

    public static ObjectNode json(AuditTally tally, List<String> labels, List<Skipped> skipped, RunInfo run) {
        ObjectNode root = JSON.createObjectNode();
        root.put("images", tally.images());
        root.put("correct", tally.correct());
        number(root, "accuracy", tally.accuracy());
        number(root, "top5Accuracy", tally.top5Accuracy());
        ObjectNode ece = root.putObject("calibration");
        number(ece, "expectedCalibrationError", tally.expectedCalibrationError());
        ece.put("bins", AuditTally.ECE_BINS);
        ece.put("binning", AuditTally.ECE_BINS + " equal-width bins of top-1 confidence, (b/15, (b+1)/15]; ECE = sum "
                + "over bins of (bin images / images) * |bin accuracy - bin mean confidence|");
        ArrayNode bins = ece.putArray("reliability");
        for (AuditTally.Bin b : tally.bins()) {
            ObjectNode n = bins.addObject().put("lower", b.lower()).put("upper", b.upper()).put("count", b.count());
            number(n, "confidence", b.confidence());
            number(n, "accuracy", b.accuracy());
        }
        root.put("expectedCalibrationError", ece.get("expectedCalibrationError").isNull() ? null
                : ece.get("expectedCalibrationError").asDouble());
        ArrayNode classes = root.putArray("classes");
        for (int k = 0; k < tally.classes(); k++) {
            AuditTally.ClassStats s = tally.classStats(k);
            ObjectNode c = classes.addObject().put("index", k).put("label", labels.get(k));
            c.put("precision", s.precision());
            c.put("recall", s.recall());
            c.put("f1", s.f1());
            c.put("support", s.support());
            c.put("predicted", s.predicted());
        }
        number(root, "imagesPerSecond", run.imagesPerSecond() == null ? Double.NaN : run.imagesPerSecond());
        root.put("startupSeconds", run.startupSeconds());
        root.put("secondsAfterStartup", run.secondsAfterStartup());
        root.put("imagesThisRun", run.imagesThisRun());
        root.put("resumedRows", run.resumedRows());
        root.put("timing", "imagesPerSecond = imagesThisRun / secondsAfterStartup: from the first batch to the last "
                + "row, decoding included; startupSeconds = from the command's start to the first batch (engine, "
                + "model load and warm-up, listing the data set)");
        ObjectNode model = root.putObject("model");
        run.model().forEach(model::put);
        root.put("dataset", run.dataset());
        root.put("layout", run.layout());
        root.set("run", JSON.valueToTree(run.extra()));
        ArrayNode skip = root.putArray("skipped");
        for (Skipped s : skipped) {
            skip.addObject().put("file", s.file()).put("reason", s.reason());
        }
        return root;
    }

    private static void number(ObjectNode node, String name, double value) {
        if (Double.isNaN(value)) {
            node.putNull(name);
        } else {
            node.put(name, value);
        }
    }

    public static void write(Path file, ObjectNode json) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(json);
        SafeWrite.write(file, true, out -> out.write(bytes));
    }
}
