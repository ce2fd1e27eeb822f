package io.saliencystudio.engine.audit;

import io.saliencystudio.engine.data.LabelRow;
import io.saliencystudio.engine.data.LabelsCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of labelled images, listed (never decoded): the items to audit and the files left out with the reason.
 * Two layouts are read:
 * <ul>
 *   <li>{@code labels.csv} in the folder ({@link LabelsCsv}: {@code file,label}, optional {@code index} and box
 *       columns); its rows, in file order; image files in the folder without a row are listed as skipped;</li>
 *   <li>otherwise ImageFolder: one subfolder per class, named by its label (characters a file name cannot hold
 *       written as {@code _}, see {@link LabelMatcher#fileName}) or by its index; the images below it, sorted.</li>
 * </ul>
 * A label the model does not have and a listed file that does not exist are skipped, never fatal. Pure Java; any
 * thread.
 *
 * @param layout {@code labels.csv} or {@code ImageFolder}
 */
public record AuditDataset(Path root, String layout, List<AuditItem> items, List<Skipped> skipped) {

    public static final String LABELS_CSV = "labels.csv";
    public static final String IMAGE_FOLDER = "ImageFolder";

    private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp");

    public AuditDataset {
        items = List.copyOf(items);
        skipped = List.copyOf(skipped);
    }

    /**
     * Lists {@code root} against the model's labels.
     *
     * @throws IOException when the folder cannot be listed, its labels.csv is malformed, or it has neither a
     *     labels.csv nor class subfolders
     */
    public static AuditDataset open(Path root, List<String> modelLabels) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + " is not a folder: give the folder holding labels.csv or one subfolder per class");
        }
        LabelMatcher matcher = new LabelMatcher(modelLabels);
        if (Files.isRegularFile(root.resolve(LabelsCsv.FILE_NAME))) {
            return fromCsv(root, matcher);
        }
        return fromFolders(root, matcher);
    }

    private static AuditDataset fromCsv(Path root, LabelMatcher matcher) throws IOException {
        List<AuditItem> items = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        for (LabelRow row : LabelsCsv.read(root.resolve(LabelsCsv.FILE_NAME))) {
            String image = row.file().replace('\\', '/');
            if (!listed.add(image)) {
                skipped.add(new Skipped(image, "listed twice in labels.csv (the first row counts)"));
                continue;
            }
            Path file = root.resolve(image);
            OptionalInt index = matcher.byLabel(row.label());
            if (index.isEmpty()) {
                skipped.add(new Skipped(image, "unknown label '" + row.label() + "': not a class of the model"));
            } else if (!Files.isRegularFile(file)) {
                skipped.add(new Skipped(image, "no such file"));
            } else {
                items.add(new AuditItem(image, file, index.getAsInt()));
            }
        }
        try (Stream<Path> files = Files.list(root)) {
            files.filter(Files::isRegularFile).filter(AuditDataset::looksLikeImage)
                    .map(p -> p.getFileName().toString()).filter(n -> !listed.contains(n)).sorted()
                    .forEach(n -> skipped.add(new Skipped(n, "no row in labels.csv")));
        }
        return new AuditDataset(root, LABELS_CSV, items, skipped);
    }

    private static AuditDataset fromFolders(Path root, LabelMatcher matcher) throws IOException {
        List<Path> folders;
        try (Stream<Path> s = Files.list(root)) {
            folders = s.filter(Files::isDirectory).filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        if (folders.isEmpty()) {
            throw new IOException(root + " has no labels.csv and no class subfolders: write a labels.csv (file,label) "
                    + "or put each class's images in a subfolder named by its label or index");
        }
        List<AuditItem> items = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path folder : folders) {
            String name = folder.getFileName().toString();
            OptionalInt index = matcher.byFolderName(name);
            List<Path> files;
            try (Stream<Path> s = Files.walk(folder)) {
                files = s.filter(Files::isRegularFile).filter(AuditDataset::looksLikeImage).sorted().toList();
            }
            for (Path f : files) {
                String image = root.relativize(f).toString().replace('\\', '/');
                if (index.isEmpty()) {
                    skipped.add(new Skipped(image, "unknown label '" + name + "': the folder names no class of the model"));
                } else {
                    items.add(new AuditItem(image, f, index.getAsInt()));
                }
            }
        }
        return new AuditDataset(root, IMAGE_FOLDER, items, skipped);
    }

    static boolean looksLikeImage(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && !name.startsWith(".") && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}
