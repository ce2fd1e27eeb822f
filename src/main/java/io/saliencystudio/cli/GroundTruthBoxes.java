package io.saliencystudio.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Object boxes from the {@code labels.csv} beside the images (columns {@code file} and {@code x0,y0,x1,y1}, in the
 * file's pixels, {@code x1}/{@code y1} exclusive), read once per folder. A folder without one, or without box
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
        Path csv = folder == null ? null : folder.resolve("labels.csv");
        if (csv == null || !Files.isRegularFile(csv)) {
            return boxes;
        }
        try {
            List<String> lines = Files.readAllLines(csv);
            if (lines.isEmpty()) {
                return boxes;
            }
            List<String> header = List.of(lines.get(0).toLowerCase(Locale.ROOT).strip().split("\\s*,\\s*"));
            int file = header.indexOf("file");
            int[] cols = {header.indexOf("x0"), header.indexOf("y0"), header.indexOf("x1"), header.indexOf("y1")};
            if (file < 0 || cols[0] < 0 || cols[1] < 0 || cols[2] < 0 || cols[3] < 0) {
                return boxes;
            }
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.strip().split("\\s*,\\s*");
                int[] box = new int[4];
                for (int k = 0; k < 4; k++) {
                    box[k] = Integer.parseInt(f[cols[k]]);
                }
                boxes.put(f[file], box);
            }
        } catch (IOException | RuntimeException e) {
            err.println("warning: " + csv + " cannot be read as file,...,x0,y0,x1,y1 (" + e.getMessage()
                    + "); the pointing game is skipped for that folder");
            err.flush();
            boxes.clear();
        }
        return boxes;
    }
}
