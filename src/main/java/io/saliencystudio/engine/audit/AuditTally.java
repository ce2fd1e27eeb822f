package io.saliencystudio.engine.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * The counts an audit's summary is made of: the confusion matrix, top-5 hits and the calibration bins. Tallies of
 * shards {@link #merge} by adding, so a distributed audit adds its parts. Not thread-safe.
 */
public final class AuditTally {

    /** Expected calibration error uses this many equal-width confidence bins over [0, 1]. */
    public static final int ECE_BINS = 15;

    private final int classes;
    private final long[][] confusion;
    private long images;
    private long top5;
    private final long[] binCount = new long[ECE_BINS];
    private final long[] binCorrect = new long[ECE_BINS];
    private final double[] binConfidence = new double[ECE_BINS];

    public AuditTally(int classes) {
        this.classes = classes;
        this.confusion = new long[classes][classes];
    }

    public void add(AuditRow row) {
        confusion[row.trueIndex()][row.predicted()]++;
        images++;
        if (row.trueRank() <= 5) {
            top5++;
        }
        int b = bin(row.confidence());
        binCount[b]++;
        binConfidence[b] += row.confidence();
        if (row.correct()) {
            binCorrect[b]++;
        }
    }

    /** Adds another tally of the same model's classes (a shard's). */
    public void merge(AuditTally other) {
        if (other.classes != classes) {
            throw new IllegalArgumentException("tallies of " + classes + " and " + other.classes + " classes");
        }
        for (int i = 0; i < classes; i++) {
            for (int j = 0; j < classes; j++) {
                confusion[i][j] += other.confusion[i][j];
            }
        }
        images += other.images;
        top5 += other.top5;
        for (int b = 0; b < ECE_BINS; b++) {
            binCount[b] += other.binCount[b];
            binCorrect[b] += other.binCorrect[b];
            binConfidence[b] += other.binConfidence[b];
        }
    }

    /** The bin of a confidence: bin b holds (b/15, (b+1)/15], and bin 0 also holds 0. */
    static int bin(double confidence) {
        int b = (int) Math.ceil(confidence * ECE_BINS) - 1;
        b = Math.max(0, Math.min(ECE_BINS - 1, b));
        while (b > 0 && confidence <= (double) b / ECE_BINS) {
            b--;
        }
        while (b < ECE_BINS - 1 && confidence > (double) (b + 1) / ECE_BINS) {
            b++;
        }
        return b;
    }

    public int classes() {
        return classes;
    }

    public long images() {
        return images;
    }

    /** Count of images of true class {@code t} predicted as {@code p}. */
    public long count(int t, int p) {
        return confusion[t][p];
    }

    public long correct() {
        long c = 0;
        for (int i = 0; i < classes; i++) {
            c += confusion[i][i];
        }
        return c;
    }

    public double accuracy() {
        return images == 0 ? Double.NaN : (double) correct() / images;
    }

    public double top5Accuracy() {
        return images == 0 ? Double.NaN : (double) top5 / images;
    }

    /** Per-class figures; precision is {@code null} for a class never predicted, recall for a class with no images. */
    public record ClassStats(int index, long support, long predicted, long truePositives, Double precision,
            Double recall, Double f1) {}

    public ClassStats classStats(int k) {
        long support = 0;
        long predicted = 0;
        for (int i = 0; i < classes; i++) {
            support += confusion[k][i];
            predicted += confusion[i][k];
        }
        long tp = confusion[k][k];
        Double precision = predicted == 0 ? null : (double) tp / predicted;
        Double recall = support == 0 ? null : (double) tp / support;
        Double f1 = precision == null || recall == null ? null
                : precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
        return new ClassStats(k, support, predicted, tp, precision, recall, f1);
    }

    /** One calibration bin: its range, images, mean confidence and accuracy (NaN when empty). */
    public record Bin(double lower, double upper, long count, double confidence, double accuracy) {}

    public List<Bin> bins() {
        List<Bin> out = new ArrayList<>();
        for (int b = 0; b < ECE_BINS; b++) {
            long n = binCount[b];
            out.add(new Bin((double) b / ECE_BINS, (double) (b + 1) / ECE_BINS, n,
                    n == 0 ? Double.NaN : binConfidence[b] / n, n == 0 ? Double.NaN : (double) binCorrect[b] / n));
        }
        return out;
    }

    /** Expected calibration error: sum over bins of (bin images / images) * |accuracy - mean confidence|. */
    public double expectedCalibrationError() {
        if (images == 0) {
            return Double.NaN;
        }
        double ece = 0;
        for (int b = 0; b < ECE_BINS; b++) {
            if (binCount[b] > 0) {
                ece += Math.abs((double) binCorrect[b] / binCount[b] - binConfidence[b] / binCount[b])
                        * binCount[b] / images;
            }
        }
        return ece;
    }
}
