package io.saliencystudio.engine.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The model packages in a folder (each sub-folder with a {@code manifest.json}), and those that failed to open. */
public final class ModelCatalog {

    /** A folder that looked like a package but could not be opened. */
    public record Problem(Path folder, String message) {}

    private final List<ModelPackage> packages;
    private final List<Problem> problems;

    private ModelCatalog(List<ModelPackage> packages, List<Problem> problems) {
        this.packages = List.copyOf(packages);
        this.problems = List.copyOf(problems);
    }

    public static ModelCatalog scan(Path modelsDir) throws IOException {
        List<ModelPackage> found = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        if (!Files.isDirectory(modelsDir)) {
            throw new IOException("models folder " + modelsDir + " does not exist");
        }
        List<Path> folders;
        try (Stream<Path> s = Files.list(modelsDir)) {
            folders = s.filter(p -> Files.isRegularFile(p.resolve(ModelPackage.MANIFEST_FILE))).sorted().toList();
        }
        for (Path folder : folders) {
            try {
                found.add(ModelPackage.open(folder));
            } catch (ModelPackageException e) {
                problems.add(new Problem(folder, e.getMessage()));
            }
        }
        return new ModelCatalog(found, problems);
    }

    public List<ModelPackage> packages() {
        return packages;
    }

    public List<Problem> problems() {
        return problems;
    }
}
