package io.saliencystudio.app.images;

import io.saliencystudio.engine.data.LabelRow;
import io.saliencystudio.engine.data.LabelsCsv;
import io.saliencystudio.engine.image.ImageLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the user dropped or chose into image files: folders are searched (a few levels deep) for files with an
 * image extension ({@link ImageLoader#READABLE_EXTENSIONS}); files named explicitly are kept whatever their
 * extension, so that a wrong file gets a clear message rather than silently disappearing. Pure file-system work, run
 * off the UI thread.
 */
public final class ImageFiles {

    private static final Logger LOG = LoggerFactory.getLogger(ImageFiles.class);
    private static final int MAX_DEPTH = 4;
    /** Refuse to list more than this from one drop (someone dropped their home folder). */
    public static final int MAX_FILES = 5000;

    private ImageFiles() {}

    /** Files to list, in a stable order: each argument's files sorted by name, arguments in the order given. */
    public static List<Path> expand(List<Path> paths) {
        Set<Path> out = new LinkedHashSet<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p, MAX_DEPTH)) {
                    s.filter(Files::isRegularFile).filter(ImageLoader::hasReadableExtension).sorted()
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
     * Ground truth for files whose folder holds a {@code labels.csv} ({@link LabelsCsv}: {@code file} and
     * {@code label} columns, optionally {@code x0,y0,x1,y1}), as the bundled samples have. A malformed file is logged
     * once and gives no truth.
     */
    public static Map<Path, GroundTruth> groundTruth(List<Path> files) {
        Map<Path, Map<String, LabelRow>> byFolder = new HashMap<>();
        Map<Path, GroundTruth> out = new HashMap<>();
        for (Path f : files) {
            Path dir = f.toAbsolutePath().getParent();
            if (dir == null) {
                continue;
            }
            LabelRow row = byFolder.computeIfAbsent(dir, ImageFiles::readLabels).get(f.getFileName().toString());
            if (row != null) {
                out.put(f, new GroundTruth(row.label(), row.box()));
            }
        }
        return out;
    }

    private static Map<String, LabelRow> readLabels(Path dir) {
        try {
            return LabelsCsv.readFolder(dir);
        } catch (IOException e) {
            LOG.warn("ignoring {}: {}", LabelsCsv.FILE_NAME, e.getMessage());
            return Map.of();
        }
    }
}
