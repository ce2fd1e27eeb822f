package io.saliencystudio.engine.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A model on disk, checked and described but not yet loaded into the engine: a package folder
 * ({@code manifest.json}, {@code model.pt}, {@code synset.txt}) or a bare TorchScript file. Opening reads only small
 * files and hashes the model; it never touches native code, so listing models is cheap and safe.
 */
public final class ModelPackage {

    /** Name of the manifest copy that the export tool stores inside the TorchScript archive. */
    public static final String EMBEDDED_MANIFEST = "saliency_studio.json";
    public static final String MANIFEST_FILE = "manifest.json";

    private final Path location;
    private final Path modelFile;
    private final ModelManifest manifest;
    private final List<String> labels;
    private final boolean labelsKnown;

    private ModelPackage(Path location, Path modelFile, ModelManifest manifest, List<String> labels, boolean labelsKnown) {
        this.location = location;
        this.modelFile = modelFile;
        this.manifest = manifest;
        this.labels = List.copyOf(labels);
        this.labelsKnown = labelsKnown;
    }

    /** Opens a package folder or a bare {@code .pt} file. */
    public static ModelPackage open(Path path) throws ModelPackageException {
        Path p = path.toAbsolutePath().normalize();
        if (!Files.exists(p)) {
            throw new ModelPackageException("No model at " + path + ": give a model package folder or a TorchScript .pt file");
        }
        return Files.isDirectory(p) ? openFolder(p) : openBareFile(p);
    }

    private static ModelPackage openFolder(Path dir) throws ModelPackageException {
        Path manifestPath = dir.resolve(MANIFEST_FILE);
        ModelManifest manifest;
        if (Files.isRegularFile(manifestPath)) {
            manifest = ManifestReader.parse(readText(manifestPath), manifestPath.toString());
        } else {
            Path pt = dir.resolve("model.pt");
            if (!Files.isRegularFile(pt)) {
                throw new ModelPackageException(dir + " is not a model package: it has neither " + MANIFEST_FILE
                        + " nor model.pt. Export one with models/tools/export.py");
            }
            manifest = null;
        }
        Path modelFile = inside(dir, manifest == null ? "model.pt" : manifest.file(), "file");
        if (!Files.isRegularFile(modelFile)) {
            throw new ModelPackageException("The model file " + modelFile + " named by " + manifestPath + " is missing");
        }
        TorchScriptArchive archive = TorchScriptArchive.inspect(modelFile);
        if (manifest == null) {
            manifest = archive.embeddedManifest().orElse(null);
        }
        String sha = sha256(modelFile);
        if (manifest == null) {
            manifest = defaultManifest(dir.getFileName().toString(), "model.pt");
        } else if (manifest.sha256() != null && !manifest.sha256().equalsIgnoreCase(sha)) {
            throw new ModelPackageException(modelFile + " does not match the sha256 in " + manifestPath
                    + " (the file changed after export): re-export the model or update the manifest");
        }
        String id = manifest.id() != null ? manifest.id() : dir.getFileName().toString();
        manifest = manifest.withIdentity(id, sha);

        Path labelsPath = inside(dir, manifest.labelsFile(), "labels");
        if (!Files.isRegularFile(labelsPath)) {
            throw new ModelPackageException("The label file " + labelsPath + " is missing: add " + manifest.labelsFile()
                    + " with one class name per line (line i = class i)");
        }
        List<String> labels = readLabels(labelsPath);
        if (labels.isEmpty()) {
            throw new ModelPackageException("The label file " + labelsPath + " is empty: it needs one class name per line");
        }
        return new ModelPackage(dir, modelFile, manifest, labels, true);
    }

    private static ModelPackage openBareFile(Path file) throws ModelPackageException {
        TorchScriptArchive archive = TorchScriptArchive.inspect(file);
        String stem = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        ModelManifest manifest = archive.embeddedManifest().orElseGet(() -> defaultManifest(stem, file.getFileName().toString()));
        manifest = manifest.withIdentity(manifest.id() != null ? manifest.id() : stem, sha256(file));
        // Labels are not inside a bare .pt; a synset.txt beside it is used when present (DJL's convention).
        Path sibling = file.resolveSibling("synset.txt");
        List<String> labels = Files.isRegularFile(sibling) ? readLabels(sibling) : List.of();
        return new ModelPackage(file, file, manifest, labels, !labels.isEmpty());
    }

    /** What we assume of a TorchScript file that carries no manifest: an ImageNet-style RGB classifier. */
    private static ModelManifest defaultManifest(String id, String file) {
        return new ModelManifest(id, id, "TorchScript file without a manifest: ImageNet preprocessing assumed",
                file, null, "synset.txt", new InputSpec(3, 224, 224, InputSpec.ColorMode.RGB),
                Preprocessing.imagenet(224), List.of(), null, "forward", null,
                Map.of("note", "no manifest: input 3x224x224 and ImageNet mean/std assumed"));
    }

    private static Path inside(Path dir, String relative, String field) throws ModelPackageException {
        Path resolved = dir.resolve(relative).toAbsolutePath().normalize();
        if (!resolved.startsWith(dir)) {
            throw new ModelPackageException("The manifest field '" + field + "' points outside the package folder ("
                    + relative + "): package files must live inside " + dir);
        }
        return resolved;
    }

    private static String readText(Path p) throws ModelPackageException {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelPackageException("Cannot read " + p + ": " + e.getMessage(), e);
        }
    }

    static List<String> readLabels(Path p) throws ModelPackageException {
        List<String> lines = new ArrayList<>(readText(p).lines().map(String::strip).toList());
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return lines;
    }

    static String sha256(Path file) throws ModelPackageException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ModelPackageException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The package folder, or the file itself for a bare {@code .pt}. */
    public Path location() {
        return location;
    }

    public Path modelFile() {
        return modelFile;
    }

    public ModelManifest manifest() {
        return manifest;
    }

    public String id() {
        return manifest.id();
    }

    /** Label of a class index; {@code "class i"} when the package has no labels or too few. */
    public String label(int index) {
        return index >= 0 && index < labels.size() ? labels.get(index) : "class " + index;
    }

    public List<String> labels() {
        return labels;
    }

    /** Whether labels came from a file (a bare {@code .pt} without a {@code synset.txt} has none). */
    public boolean labelsKnown() {
        return labelsKnown;
    }

    /** Class index for a label, compared case-insensitively. */
    public Optional<Integer> indexOfLabel(String label) {
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).equalsIgnoreCase(label.strip())) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }
}
