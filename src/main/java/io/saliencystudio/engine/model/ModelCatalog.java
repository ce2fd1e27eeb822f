package io.saliencystudio.engine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The model packages in one or more folders (each sub-folder with a {@code manifest.json}, or a single bare
 * {@code .pt}), and those that failed to open.
 */
public final class ModelCatalog {

    /** A folder that looked like a package but could not be opened. */
    public record Problem(Path folder, String message) {}

    private final List<ModelPackage> packages;
    private final List<Problem> problems;

    private ModelCatalog(List<ModelPackage> packages, List<Problem> problems) {
        this.packages = List.copyOf(packages);
        this.problems = List.copyOf(problems);
    }

    /** The packages in {@code modelsDir}, which must exist. */
    public static ModelCatalog scan(Path modelsDir) throws IOException {
        if (!Files.isDirectory(modelsDir)) {
            throw new IOException("models folder " + modelsDir + " does not exist");
        }
        return scan(List.of(modelsDir));
    }

    /**
     * The packages in each folder, in the order given (sorted by folder name within one). A folder that does not
     * exist is skipped: the per-user folder appears only once a model is added to it.
     */
    public static ModelCatalog scan(List<Path> modelsDirs) throws IOException {
        List<ModelPackage> found = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        for (Path modelsDir : modelsDirs) {
            if (!Files.isDirectory(modelsDir)) {
                continue;
            }
            List<Path> entries;
            try (Stream<Path> s = Files.list(modelsDir)) {
                entries = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted()
                        .map(ModelCatalog::modelIn).flatMap(Optional::stream).toList();
            }
            for (Path entry : entries) {
                try {
                    found.add(ModelPackage.open(entry));
                } catch (ModelPackageException e) {
                    problems.add(new Problem(entry, e.getMessage()));
                }
            }
        }
        return new ModelCatalog(found, problems);
    }

    /**
     * What to open for a sub-folder of a models folder: the folder itself when it is a package ({@code manifest.json}
     * or {@code model.pt}), else its only {@code .pt} file (a bare model, as "Open model…" adds one); empty when it
     * holds no model.
     */
    public static Optional<Path> modelIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        if (Files.isRegularFile(folder.resolve(ModelPackage.MANIFEST_FILE))
                || Files.isRegularFile(folder.resolve("model.pt"))) {
            return Optional.of(folder);
        }
        try (Stream<Path> s = Files.list(folder)) {
            List<Path> pts = s.filter(p -> p.getFileName().toString().endsWith(".pt") && Files.isRegularFile(p))
                    .limit(2).toList();
            return pts.size() == 1 ? Optional.of(pts.get(0)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public List<ModelPackage> packages() {
        return packages;
    }

    public List<Problem> problems() {
        return problems;
    }
}
