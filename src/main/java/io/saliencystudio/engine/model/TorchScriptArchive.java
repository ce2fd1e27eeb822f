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
final class TorchScriptArchive {

    private static final long MAX_MANIFEST_BYTES = 4L << 20;
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
            }
            if (!hasCode) {
                throw new ModelPackageException(file + " is a PyTorch pickle (torch.save), not TorchScript: "
                        + "a state_dict or pickled model cannot run outside Python. Export it with "
                        + "models/tools/export.py (or torch.jit.script / torch.jit.trace and torch.jit.save)");
            }
            if (manifestEntry == null) {
                return new TorchScriptArchive(Optional.empty());
            }
            if (manifestEntry.getSize() > MAX_MANIFEST_BYTES) {
                throw new ModelPackageException(file + ": its embedded manifest claims " + manifestEntry.getSize()
                        + " bytes, more than any real manifest; the file is damaged or not from the export tool");
            }
            try (InputStream in = zip.getInputStream(manifestEntry)) {
                String json = new String(in.readNBytes((int) MAX_MANIFEST_BYTES), StandardCharsets.UTF_8);
                return new TorchScriptArchive(Optional.of(ManifestReader.parse(json, file + " (embedded manifest)")));
            }
        } catch (ZipException e) {
            throw new ModelPackageException(file + " is not a TorchScript file (not a zip archive). Save models with "
                    + "torch.jit.save, or export them with models/tools/export.py");
        } catch (IOException e) {
            throw new ModelPackageException("Cannot read " + file + ": " + e.getMessage(), e);
        }
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
