package io.saliencystudio.cli;

import io.saliencystudio.engine.data.LabelRow;
import io.saliencystudio.engine.data.LabelsCsv;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Object boxes from the {@code labels.csv} beside the images ({@link LabelsCsv}: columns {@code file}, {@code label}
 * and {@code x0,y0,x1,y1}, in the file's pixels, {@code x1}/{@code y1} exclusive), read once per folder. A folder without one, or without box
 * columns, simply has no boxes; a malformed file is reported once and ignored.
 */
final class GroundTruthBoxes {

    private final PrintWriter err;
    private final Map<Path, Map<String, int[]>> byFolder = new HashMap<>();

    GroundTruthBoxes(PrintWriter err) {
        this.err = err;
    }

    /** The box of an image file, or {@code null} when its folder's labels.csv has none for it. */
    int[] boxOf(Path image) {
        Path folder = image.toAbsolutePath().normalize().getParent();
        return byFolder.computeIfAbsent(folder, this::read).get(image.getFileName().toString());
    }

    private Map<String, int[]> read(Path folder) {
        Map<String, int[]> boxes = new HashMap<>();
        if (folder == null) {
            return boxes;
        }
        try {
            for (LabelRow row : LabelsCsv.readFolder(folder).values()) {
                if (row.box() != null) {
                    boxes.put(row.file(), row.box());
                }
            }
        } catch (IOException e) {
            err.println("warning: " + e.getMessage() + "; the pointing game is skipped for that folder");
            err.flush();
            boxes.clear();
        }
        return boxes;
    }
}
