package io.saliencystudio.app.images;

import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * The true label of a sample and, when {@code labels.csv} gives one, the object's box in the file's pixels
 * ({@code x1}, {@code y1} exclusive), so the panels can show whether a map lands on the object.
 *
 * <p>A truth only means something to a model that has its label among its classes: the shapes samples' "hexagon" says
 * nothing about an ImageNet model, which would otherwise be marked wrong on every image.
 */
public record GroundTruth(String label, int[] box) {

    public boolean hasBox() {
        return box != null && box.length == 4;
    }

    /** Whether {@code label} is one of a model's {@code numClasses} labels (compared ignoring case). */
    public boolean appliesTo(int numClasses, IntFunction<String> labels) {
        String mine = label.strip().toLowerCase(Locale.ROOT);
        for (int i = 0; i < numClasses; i++) {
            String other = labels.apply(i);
            if (other != null && other.strip().toLowerCase(Locale.ROOT).equals(mine)) {
                return true;
            }
        }
        return false;
    }

    /** {@link #appliesTo} for a model's label list. */
    public boolean appliesTo(List<String> labels) {
        return appliesTo(labels.size(), labels::get);
    }

    /** Whether a predicted label is this truth (ignoring case). */
    public boolean matches(String predicted) {
        return label.strip().equalsIgnoreCase(predicted.strip());
    }
}
