package io.saliencystudio.engine.audit;

import io.saliencystudio.engine.explain.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An audit of one data set into one {@code predictions.csv}, optionally resuming it: rows already in the file are
 * read back and not recomputed, the remaining images go through the {@link Auditor}, and every row (old and new)
 * feeds the {@link AuditTally} and the {@link AuditExtremes}. Runs on the caller's thread (the predictor hops to
 * the inference thread).
 */
public final class AuditRun {

    /**
     * What the run produced.
     *
     * @param resumedRows rows found in an earlier run's file and kept
     * @param droppedRows rows of that file that were cut short or unreadable, recomputed
     * @param result this run's own work (rows computed, seconds)
     */
    public record Outcome(AuditTally tally, AuditExtremes extremes, List<Skipped> skipped, int resumedRows,
            int droppedRows, Auditor.Result result) {}

    private AuditRun() {}

    /**
     * @param csv the predictions file; with {@code resume} an existing one is continued, otherwise replaced
     * @param examples how many extremes of each kind to keep for a report
     */
    public static Outcome run(AuditDataset data, List<String> labels, Path csv, boolean resume, Auditor auditor,
            int examples, Progress progress) throws Exception {
        AuditTally tally = new AuditTally(labels.size());
        AuditExtremes extremes = new AuditExtremes(examples);
        List<AuditRow> kept = new ArrayList<>();
        int dropped = 0;
        if (resume && Files.isRegularFile(csv)) {
            PredictionsCsv.Existing existing = PredictionsCsv.read(csv, labels);
            kept.addAll(existing.rows());
            dropped = existing.dropped();
        }
        Set<String> done = new HashSet<>();
        for (AuditRow r : kept) {
            done.add(r.image());
            tally.add(r);
            extremes.add(r);
        }
        List<AuditItem> todo = data.items().stream().filter(i -> !done.contains(i.image())).toList();
        List<Skipped> skipped = new ArrayList<>(data.skipped());
        Auditor.Result result;
        try (PredictionsCsv.Appender out = PredictionsCsv.start(csv, labels, kept)) {
            result = auditor.run(todo, new Auditor.Sink() {
                @Override
                public void rows(List<AuditRow> rows) throws IOException {
                    out.append(rows);
                    for (AuditRow r : rows) {
                        tally.add(r);
                        extremes.add(r);
                    }
                }

                @Override
                public void skipped(Skipped s) {
                    skipped.add(s);
                }
            }, progress);
        }
        return new Outcome(tally, extremes, skipped, kept.size(), dropped, result);
    }
}
