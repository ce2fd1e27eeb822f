package io.saliencystudio.app.images;

/**
 * The true label of a sample and, when {@code labels.csv} gives one, the object's box in the file's pixels
 * ({@code x1}, {@code y1} exclusive), so the panels can show whether a map lands on the object.
 */
public record GroundTruth(String label, int[] box) {

    public boolean hasBox() {
        return box != null && box.length == 4;
    }
}
