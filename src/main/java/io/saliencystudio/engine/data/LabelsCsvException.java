package io.saliencystudio.engine.data;

import java.io.IOException;
import java.nio.file.Path;

/** A {@code labels.csv} that exists but cannot be read as one; the message names the file and, if known, the line. */
public final class LabelsCsvException extends IOException {

    public LabelsCsvException(Path file, String problem) {
        super(file + ": " + problem);
    }

    public LabelsCsvException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
    }
}
