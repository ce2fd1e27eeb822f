package io.saliencystudio.engine.audit;

import io.saliencystudio.engine.data.LabelsCsv;
import io.saliencystudio.engine.model.ModelManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The app's memory of audits: one {@code predictions.csv} per (model, data set) under a folder of the user's
 * ({@code ~/.saliency-studio/audits/<key>/}), appended batch by batch as an audit runs, so reopening a data set shows
 * what was audited before at once and a cancelled or interrupted audit continues where it stopped (the CLI's
 * {@code audit --resume}, without an output folder to name).
 *
 * <p>The key is a digest of what the rows depend on: the model's file digest, input and preprocessing, the data set's
 * absolute folder, and the bytes of its {@code labels.csv} (an ImageFolder's labels are in the image paths). A row
 * is kept only when its image is still listed with the same true class. Editing an image in place without renaming
 * it is not noticed: "Audit again" discards the file. Pure Java; any thread, one audit per file at a time.
 */
public final class AuditCache {

    /**
     * Rows read back for a data set.
     *
     * @param rows the rows still valid, in the data set's order
     * @param dropped rows of the file that were cut short, unreadable or no longer match the data set
     */
    public record Resumed(List<AuditRow> rows, int dropped) {
        public static final Resumed NONE = new Resumed(List.of(), 0);
    }

    private final Path dir;

    /** @param dir the folder holding one subfolder per audited (model, data set) */
    public AuditCache(Path dir) {
        this.dir = dir;
    }

    /** The predictions file of this model on this data set (it may not exist yet). */
    public Path file(ModelManifest model, AuditDataset data) throws IOException {
        MessageDigest d = sha256();
        update(d, model.id() + "\n" + model.sha256() + "\n" + model.input() + "\n" + model.preprocessing());
        update(d, "\n" + data.root().toAbsolutePath().normalize() + "\n" + data.layout() + "\n");
        Path labels = data.root().resolve(LabelsCsv.FILE_NAME);
        if (AuditDataset.LABELS_CSV.equals(data.layout()) && Files.isRegularFile(labels)) {
            d.update(Files.readAllBytes(labels));
        }
        String key = HexFormat.of().formatHex(d.digest()).substring(0, 32);
        return dir.resolve(key).resolve(PredictionsCsv.FILE_NAME);
    }

    /**
     * The rows an earlier audit left for this data set: those whose image is still listed with the same true class,
     * in the data set's order. A file of another format is discarded (its rows are counted as dropped).
     */
    public Resumed read(Path file, AuditDataset data, List<String> labels) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Resumed.NONE;
        }
        PredictionsCsv.Existing existing;
        try {
            existing = PredictionsCsv.read(file, labels);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            return Resumed.NONE;
        }
        Map<String, AuditRow> byImage = new HashMap<>();
        for (AuditRow r : existing.rows()) {
            byImage.put(r.image(), r);
        }
        List<AuditRow> kept = new ArrayList<>();
        for (AuditItem item : data.items()) {
            AuditRow r = byImage.get(item.image());
            if (r != null && r.trueIndex() == item.trueIndex()) {
                kept.add(r);
            }
        }
        return new Resumed(kept, existing.rows().size() + existing.dropped() - kept.size());
    }

    /** Starts the file afresh with {@code kept} (atomically) and opens it to append this run's rows. */
    public PredictionsCsv.Appender start(Path file, List<String> labels, List<AuditRow> kept) throws IOException {
        Files.createDirectories(file.getParent());
        return PredictionsCsv.start(file, labels, kept);
    }

    /** Forgets this model's audit of this data set ("Audit again"). */
    public void discard(Path file) throws IOException {
        Path folder = file.getParent();
        if (folder == null || !folder.startsWith(dir) || !Files.isDirectory(folder)) {
            return;
        }
        try (Stream<Path> s = Files.walk(folder)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void update(MessageDigest d, String s) {
        d.update(s.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
