package io.saliencystudio.engine.audit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The rows a report shows: the {@code n} most confident mistakes and the {@code n} least confident correct images,
 * kept in bounded heaps so memory does not grow with the data set; shards {@link #merge}. Equal confidences order by
 * image name, so the choice does not depend on the order rows arrive. Not thread-safe.
 */
public final class AuditExtremes {

    /** Most confident first, then by name. */
    private static final Comparator<AuditRow> CONFIDENT_FIRST = Comparator.comparingDouble(AuditRow::confidence)
            .reversed().thenComparing(AuditRow::image);
    /** Least confident first, then by name. */
    private static final Comparator<AuditRow> UNSURE_FIRST = Comparator.comparingDouble(AuditRow::confidence)
            .thenComparing(AuditRow::image);

    private final int n;
    // Each heap's head is the row that leaves first: the worst of the kept ones.
    private final PriorityQueue<AuditRow> mistakes = new PriorityQueue<>(CONFIDENT_FIRST.reversed());
    private final PriorityQueue<AuditRow> unsure = new PriorityQueue<>(UNSURE_FIRST.reversed());

    public AuditExtremes(int n) {
        this.n = Math.max(0, n);
    }

    public void add(AuditRow row) {
        if (row.correct()) {
            keep(unsure, row);
        } else {
            keep(mistakes, row);
        }
    }

    private void keep(PriorityQueue<AuditRow> heap, AuditRow row) {
        if (n == 0) {
            return;
        }
        heap.add(row);
        if (heap.size() > n) {
            heap.poll();
        }
    }

    public void merge(AuditExtremes other) {
        other.mistakes.forEach(r -> keep(mistakes, r));
        other.unsure.forEach(r -> keep(unsure, r));
    }

    /** The most confident mistakes, most confident first. */
    public List<AuditRow> mostConfidentMistakes() {
        List<AuditRow> out = new ArrayList<>(mistakes);
        out.sort(CONFIDENT_FIRST);
        return out;
    }

    /** The least confident correct images, least confident first. */
    public List<AuditRow> leastConfidentCorrect() {
        List<AuditRow> out = new ArrayList<>(unsure);
        out.sort(UNSURE_FIRST);
        return out;
    }
}
