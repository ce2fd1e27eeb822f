package io.saliencystudio.engine.data;

import java.util.Arrays;
import java.util.Objects;

/**
 * One row of a {@code labels.csv}: an image file (its name, relative to the csv's folder), its true label, and
 * optionally the class index and the object's box in the file's pixels ({@code x0, y0, x1, y1}, {@code x1}/{@code y1}
 * exclusive).
 *
 * @param index the class index, {@code null} when the file has no {@code index} column or the cell is empty
 * @param box {@code {x0, y0, x1, y1}}, {@code null} when the file has no box columns or the row leaves them empty
 */
public record LabelRow(String file, String label, Integer index, int[] box) {

    public LabelRow {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(label, "label");
        if (box != null && box.length != 4) {
            throw new IllegalArgumentException("a box has 4 values (x0, y0, x1, y1), got " + box.length);
        }
        box = box == null ? null : box.clone();
    }

    /** A row with a label only. */
    public LabelRow(String file, String label) {
        this(file, label, null, null);
    }

    @Override
    public int[] box() {
        return box == null ? null : box.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelRow r && file.equals(r.file) && label.equals(r.label) && Objects.equals(index, r.index)
                && Arrays.equals(box, r.box);
    }

    @Override
    public int hashCode() {
        return Objects.hash(file, label, index, Arrays.hashCode(box));
    }

    @Override
    public String toString() {
        return "LabelRow[" + file + ", " + label + ", index=" + index + ", box=" + Arrays.toString(box) + "]";
    }
}
