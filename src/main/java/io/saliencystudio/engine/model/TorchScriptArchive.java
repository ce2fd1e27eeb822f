package io.saliencystudio.engine.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Looks inside a {@code .pt} file before libtorch sees it. TorchScript files are zip archives with a {@code code/}
 * folder; {@code torch.save} pickles are zips too but have no code, and libtorch's own message for them is cryptic.
 */
public final class TorchScriptArchive {

    private static final long MAX_MANIFEST_BYTES = 4L << 20;
    /**
     * The newest TorchScript file format the bundled libtorch (2.7.1) reads ({@code kMaxSupportedFileFormatVersion}
     * in its caffe2/serialize/versions.h). A newer PyTorch that writes a higher one makes libtorch fail with an
     * internal assertion; the file says so in its {@code version} entry, so it is refused here with the two versions.
     */
    public static final int MAX_READABLE_FORMAT = 10;
    /** The libtorch the engine bundles (pytorch-native-cpu in pom.xml): named in messages about files it cannot read. */
    public static final String ENGINE_TORCH = "2.7.1";
    /** Deflate cannot expand data by more than about 1032:1; a claim beyond that is a lie (zip bomb or damage). */
    private static final long MAX_DEFLATE_RATIO = 1100;

    private final Optional<ModelManifest> embeddedManifest;

    private TorchScriptArchive(Optional<ModelManifest> embeddedManifest) {
        this.embeddedManifest = embeddedManifest;
    }

    static TorchScriptArchive inspect(Path file) throws ModelPackageException {
        long fileBytes = file.toFile().length();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            boolean hasCode = false;
            ZipEntry manifestEntry = null;
            ZipEntry versionEntry = null;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                String name = e.getName();
                checkClaimedSize(file, e, fileBytes);
                if (name.contains("/code/")) {
                    hasCode = true;
                }
                if (name.endsWith("/extra/" + ModelPackage.EMBEDDED_MANIFEST)) {
                    manifestEntry = e;
                }
                // "<archive>/version" (and "<archive>/.data/version" in newer files: the same number).
                if ((name.endsWith("/version") && name.indexOf('/') == name.length() - "/version".length())
                        || name.endsWith("/.data/version")) {
                    versionEntry = versionEntry == null ? e : versionEntry;
                }
            }
            if (!hasCode) {
                throw new ModelPackageException(file + " is a PyTorch pickle (torch.save), not TorchScript: "
                        + "a state_dict or pickled model cannot run outside Python. Export it with "
                        + "models/tools/export.py (or torch.jit.script / torch.jit.trace and torch.jit.save)");
            }
            Optional<ModelManifest> manifest = Optional.empty();
            if (manifestEntry != null) {
                manifest = Optional.of(readManifest(file, zip, manifestEntry));
            }
            if (versionEntry != null) {
                checkFormat(file, zip, versionEntry, manifest);
            }
            return new TorchScriptArchive(manifest);
        } catch (ZipException e) {
            throw new ModelPackageException(file + " is not a TorchScript file (not a zip archive). Save models with "
                    + "torch.jit.save, or export them with models/tools/export.py");
        } catch (IOException e) {
            throw new ModelPackageException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static ModelManifest readManifest(Path file, ZipFile zip, ZipEntry manifestEntry)
            throws IOException, ModelPackageException {
        if (manifestEntry.getSize() > MAX_MANIFEST_BYTES) {
            throw new ModelPackageException(file + ": its embedded manifest claims " + manifestEntry.getSize()
                    + " bytes, more than any real manifest; the file is damaged or not from the export tool");
        }
        try (InputStream in = zip.getInputStream(manifestEntry)) {
            String json = new String(in.readNBytes((int) MAX_MANIFEST_BYTES), StandardCharsets.UTF_8);
            return ManifestReader.parse(json, file + " (embedded manifest)");
        }
    }

    /** Refuses a file format newer than the bundled libtorch reads, naming both sides and what to do. */
    private static void checkFormat(Path file, ZipFile zip, ZipEntry versionEntry, Optional<ModelManifest> manifest)
            throws IOException, ModelPackageException {
        String text;
        try (InputStream in = zip.getInputStream(versionEntry)) {
            text = new String(in.readNBytes(64), StandardCharsets.US_ASCII).strip();
        }
        long version;
        try {
            version = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ModelPackageException(file + " is damaged: its TorchScript format version reads '" + text
                    + "' instead of a number. Re-export the model with models/tools/export.py (or torch.jit.save)");
        }
        if (version > MAX_READABLE_FORMAT) {
            throw new ModelPackageException(file + " was saved by " + producedBy(manifest) + " in TorchScript file "
                    + "format " + version + "; this app's libtorch " + ENGINE_TORCH + " reads formats up to "
                    + MAX_READABLE_FORMAT + ". Export it again with PyTorch " + ENGINE_TORCH + " or older (e.g. "
                    + "Debian's python3-torch 1.13 and models/tools/export.py), from the same weights");
        }
    }

    /** "PyTorch 2.11.0" from the embedded manifest's provenance, or "a newer PyTorch" when it does not say. */
    static String producedBy(Optional<ModelManifest> manifest) {
        Object torch = manifest.map(m -> m.provenance().get("torch")).orElse(null);
        return torch == null ? "a newer PyTorch" : "PyTorch " + torch;
    }

    /**
     * libtorch trusts the sizes in the zip directory and allocates them: an entry that claims gigabytes it cannot
     * hold would exhaust memory (or crash natively) inside the load, so it is refused here first. TorchScript stores
     * tensors uncompressed, where the claimed size must equal the stored one.
     */
    private static void checkClaimedSize(Path file, ZipEntry e, long fileBytes) throws ModelPackageException {
        long size = e.getSize();
        long stored = e.getCompressedSize();
        boolean lies = size > 0 && stored >= 0 && (e.getMethod() == ZipEntry.STORED
                ? size != stored || size > fileBytes
                : size > Math.max(stored, 1) * MAX_DEFLATE_RATIO);
        if (lies) {
            throw new ModelPackageException(file + " is damaged: its entry " + e.getName() + " claims " + size
                    + " bytes but stores " + stored + ", so it was not loaded. Re-export the model with "
                    + "models/tools/export.py (or torch.jit.save)");
        }
    }

    Optional<ModelManifest> embeddedManifest() {
        return embeddedManifest;
    }
}
