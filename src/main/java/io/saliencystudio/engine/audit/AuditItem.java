package io.saliencystudio.engine.audit;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One labelled image of an audit: the unit a shard is made of.
 *
 * @param image the image's name in the outputs: its path relative to the data set folder, with {@code /}
 * @param file where to read it
 * @param trueIndex the true class, an index of the model's labels
 */
public record AuditItem(String image, Path file, int trueIndex) {

    public AuditItem {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(file, "file");
        if (trueIndex < 0) {
            throw new IllegalArgumentException("class index must be >= 0, got " + trueIndex);
        }
    }
}
