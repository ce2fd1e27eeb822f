package io.saliencystudio.app.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the user dropped or chose into image files: folders are searched (a few levels deep) for files with an
 * image extension; files named explicitly are kept whatever their extension, so that a wrong file gets a clear
 * message rather than silently disappearing. Pure file-system work, run off the UI thread.
 */
public final class ImageFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);
    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp");
    private static final int MAX_DEPTH = 4;
    /** Refuse to list more than this from one drop (someone dropped their home folder). */
    public static final int MAX_FILES = 5000;

    private ImageFiles() {}

    public static boolean isImageName(Path p) {
        String n = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(n.substring(dot + 1));
    }

    /** Files to list, in a stable order: each argument's files sorted by name, arguments in the order given. */
    public static List<Path> expand(List<Path> paths) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p, MAX_DEPTH)) {
                    s.filter(Files::isRegularFile).filter(ImageFiles::isImageName).sorted()
                            .limit(MAX_FILES).forEach(out::add);
                } catch (IOException | RuntimeException e) {
                    LOG.warn("cannot list {}: {}", p, e.toString());
                }
            } else {
                out.add(p);
            }
            if (out.size() >= MAX_FILES) {
                break;
            }
        }
        return new ArrayList<>(out).subList(0, Math.min(out.size(), MAX_FILES));
    }

    /**
     * Ground truth for files whose folder holds a {@code labels.csv} with a header naming {@code file} and
     * {@code label} columns (and optionally {@code x0,y0,x1,y1}), as the bundled samples have.
     */
    public static Map<Path, GroundTruth> groundTruth(List<Path> files) {
        Map<Path, Map<String, GroundTruth>> byFolder = new HashMap<>();
        Map<Path, GroundTruth> out = new HashMap<>();
        for (Path f : files) {
            Path dir = f.toAbsolutePath().getParent();
            if (dir == null) {
                continue;
            }
            GroundTruth t = byFolder.computeIfAbsent(dir, ImageFiles::readLabels).get(f.getFileName().toString());
            if (t != null) {
                out.put(f, t);
            }
        }
        return out;
    }

    static Map<String, GroundTruth> readLabels(Path dir) {
        Path csv = dir.resolve("labels.csv");
        Map<String, GroundTruth> out = new HashMap<>();
        if (!Files.isRegularFile(csv)) {
            return out;
        }
        try {
            List<String> lines = Files.readAllLines(csv);
            if (lines.isEmpty()) {
                return out;
            }
            List<String> header = List.of(lines.get(0).strip().split(","));
            int file = header.indexOf("file");
            int label = header.indexOf("label");
            int x0 = header.indexOf("x0");
            if (file < 0 || label < 0) {
                return out;
            }
            for (String line : lines.subList(1, lines.size())) {
                String[] c = line.strip().split(",");
                if (c.length <= Math.max(file, label)) {
                    continue;
                }
                int[] box = null;
                if (x0 >= 0 && c.length >= x0 + 4) {
                    box = new int[4];
                    for (int i = 0; i < 4; i++) {
                        box[i] = Integer.parseInt(c[x0 + i].strip());
                    }
                }
                out.put(c[file].strip(), new GroundTruth(c[label].strip(), box));
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("ignoring unreadable {}: {}", csv, e.toString());
        }
        return out;
    }
}
