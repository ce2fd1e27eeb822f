package io.saliencystudio.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Packages are built in a temporary folder. The "TorchScript" files are zips with the layout torch.jit.save writes
 * ({@code <name>/code/...}, {@code <name>/extra/...}) but no real model: opening a package never loads native code.
 */
class ModelPackageTest {

    @TempDir
    Path tmp;

    private static final String MANIFEST = ManifestReaderTest.MINIMAL;

    /** A zip with the given entries (name, text content pairs). */
    private static void zip(Path file, String... entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream z = new ZipOutputStream(out)) {
            for (int i = 0; i < entries.length; i += 2) {
                z.putNextEntry(new ZipEntry(entries[i]));
                z.write(entries[i + 1].getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
    }

    private static void torchScript(Path file, String embeddedManifest) throws IOException {
        if (embeddedManifest == null) {
            zip(file, "m/code/__torch__.py", "def forward(self, x):\n  return x\n", "m/data.pkl", "pickle");
        } else {
            zip(file, "m/code/__torch__.py", "def forward(self, x):\n  return x\n", "m/data.pkl", "pickle",
                    "m/extra/saliency_studio.json", embeddedManifest);
        }
    }

    /** A complete package folder: manifest.json (as given), model.pt, synset.txt. */
    private Path packageDir(String name, String manifest) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("manifest.json"), manifest);
        torchScript(dir.resolve("model.pt"), null);
        Files.writeString(dir.resolve("synset.txt"), "circle\nSquare\n triangle \n\n\n");
        return dir;
    }

    @Test
    void opensAValidPackage() throws Exception {
        Path dir = packageDir("tiny-pkg", MANIFEST);

        ModelPackage p = ModelPackage.open(dir);

        assertThat(p.id()).isEqualTo("tiny");
        assertThat(p.location()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(p.modelFile()).isEqualTo(dir.resolve("model.pt").toAbsolutePath().normalize());
        assertThat(p.manifest().input()).isEqualTo(new InputSpec(3, 32, 48, InputSpec.ColorMode.RGB));
        assertThat(p.manifest().sha256()).isEqualTo(ModelPackage.sha256(dir.resolve("model.pt"))).hasSize(64);
        // trailing blank lines dropped, names stripped
        assertThat(p.labels()).containsExactly("circle", "Square", "triangle");
        assertThat(p.labelsKnown()).isTrue();
        assertThat(p.label(1)).isEqualTo("Square");
        assertThat(p.label(3)).isEqualTo("class 3");
        assertThat(p.label(-1)).isEqualTo("class -1");
        assertThat(p.indexOfLabel(" square ")).contains(1);
        assertThat(p.indexOfLabel("hexagon")).isEmpty();
    }

    @Test
    void idDefaultsToTheFolderName() throws Exception {
        Path dir = packageDir("folder-id", MANIFEST.replace("\"id\": \"tiny\",", ""));

        assertThat(ModelPackage.open(dir).id()).isEqualTo("folder-id");
    }

    @Test
    void sha256IsTheHexDigestOfTheFile() throws Exception {
        Path f = Files.writeString(tmp.resolve("abc.bin"), "abc");

        // FIPS 180-2 example: SHA-256("abc")
        assertThat(ModelPackage.sha256(f)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void matchingSha256IsAcceptedInAnyCase() throws Exception {
        Path dir = packageDir("sha-ok", MANIFEST);
        String sha = ModelPackage.sha256(dir.resolve("model.pt"));
        Files.writeString(dir.resolve("manifest.json"), MANIFEST.replace("\"id\"", "\"sha256\": \"" + sha.toUpperCase() + "\", \"id\""));

        assertThat(ModelPackage.open(dir).manifest().sha256()).isEqualTo(sha);
    }

    @Test
    void sha256MismatchIsRefused() throws Exception {
        Path dir = packageDir("sha-bad", MANIFEST.replace("\"id\"", "\"sha256\": \"" + "0".repeat(64) + "\", \"id\""));

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessage(dir.resolve("model.pt") + " does not match the sha256 in " + dir.resolve("manifest.json")
                        + " (the file changed after export): re-export the model or update the manifest");
    }

    @Test
    void modelFileOutsideThePackageIsRefused() throws Exception {
        torchScript(tmp.resolve("x.pt"), null);
        Path dir = packageDir("escape", MANIFEST.replace("\"id\"", "\"file\": \"../x.pt\", \"id\""));

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessage("The manifest field 'file' points outside the package folder (../x.pt): package files must live inside " + dir);
    }

    @Test
    void absoluteModelPathIsOutsideToo() throws Exception {
        Path outside = tmp.resolve("abs.pt");
        torchScript(outside, null);
        Path dir = packageDir("absolute", MANIFEST.replace("\"id\"", "\"file\": \"" + outside + "\", \"id\""));

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessageStartingWith("The manifest field 'file' points outside the package folder (" + outside + ")");
    }

    @Test
    void labelsOutsideThePackageAreRefused() throws Exception {
        Path dir = packageDir("labels-escape", MANIFEST.replace("\"id\"", "\"labels\": \"../../etc/synset.txt\", \"id\""));

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessageStartingWith("The manifest field 'labels' points outside the package folder (../../etc/synset.txt)");
    }

    @Test
    void folderWithNeitherManifestNorModelIsNotAPackage() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty-folder"));
        Files.writeString(dir.resolve("readme.txt"), "nothing here");

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessage(dir + " is not a model package: it has neither manifest.json nor model.pt. "
                        + "Export one with models/tools/export.py");
    }

    @Test
    void missingPathIsRefused() {
        Path nowhere = tmp.resolve("nowhere");

        assertThatThrownBy(() -> ModelPackage.open(nowhere))
                .isInstanceOf(ModelPackageException.class)
                .hasMessage("No model at " + nowhere + ": give a model package folder or a TorchScript .pt file");
    }

    @Test
    void missingModelFileIsNamed() throws Exception {
        Path dir = packageDir("no-model", MANIFEST.replace("\"id\"", "\"file\": \"weights.pt\", \"id\""));

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessage("The model file " + dir.resolve("weights.pt") + " named by " + dir.resolve("manifest.json") + " is missing");
    }

    @Test
    void missingLabelFileSaysWhatToAdd() throws Exception {
        Path dir = packageDir("no-labels", MANIFEST);
        Files.delete(dir.resolve("synset.txt"));

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessage("The label file " + dir.resolve("synset.txt") + " is missing: add synset.txt with one class name "
                        + "per line (line i = class i)");
    }

    @Test
    void emptyLabelFileIsRefused() throws Exception {
        Path dir = packageDir("blank-labels", MANIFEST);
        Files.writeString(dir.resolve("synset.txt"), "\n\n");

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessage("The label file " + dir.resolve("synset.txt") + " is empty: it needs one class name per line");
    }

    @Test
    void modelThatIsNotAZipIsNotTorchScript() throws Exception {
        Path dir = packageDir("not-zip", MANIFEST);
        Files.writeString(dir.resolve("model.pt"), "this is not a zip archive at all");

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessage(dir.resolve("model.pt") + " is not a TorchScript file (not a zip archive). Save models with "
                        + "torch.jit.save, or export them with models/tools/export.py");
    }

    @Test
    void zipWithoutCodeIsAPickleNotTorchScript() throws Exception {
        Path dir = packageDir("pickle", MANIFEST);
        // what torch.save writes: archive/data.pkl, archive/data/0, archive/version, no code/ folder
        zip(dir.resolve("model.pt"), "archive/data.pkl", "pickle", "archive/data/0", "weights", "archive/version", "3\n");

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessageStartingWith(dir.resolve("model.pt") + " is a PyTorch pickle (torch.save), not TorchScript: ")
                .hasMessageContaining("torch.jit.save");
    }

    @Test
    void folderWithOnlyModelPtUsesItsEmbeddedManifest() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("embedded-dir"));
        torchScript(dir.resolve("model.pt"), ManifestReaderTest.FULL.replace("\"sha256\": \"00ff\",", ""));
        Files.writeString(dir.resolve("synset.txt"), "a\nb\n");

        ModelPackage p = ModelPackage.open(dir);

        assertThat(p.id()).isEqualTo("shapes");
        assertThat(p.manifest().defaultLayer()).isEqualTo("layer4");
        assertThat(p.manifest().input().height()).isEqualTo(96);
        assertThat(p.labels()).containsExactly("a", "b");
    }

    @Test
    void folderWithABareModelPtAssumesImagenet() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("plain"));
        torchScript(dir.resolve("model.pt"), null);
        Files.writeString(dir.resolve("synset.txt"), "only\n");

        ModelPackage p = ModelPackage.open(dir);

        assertThat(p.id()).isEqualTo("plain");
        assertThat(p.manifest().input()).isEqualTo(new InputSpec(3, 224, 224, InputSpec.ColorMode.RGB));
        assertThat(p.manifest().preprocessing()).isEqualTo(Preprocessing.imagenet(224));
        assertThat(p.manifest().hasTaps()).isFalse();
    }

    @Test
    void bareFileWithEmbeddedManifestAndSiblingLabels() throws Exception {
        Path pt = tmp.resolve("shapes-v2.pt");
        torchScript(pt, ManifestReaderTest.FULL.replace("\"id\": \"shapes\",", ""));
        Files.writeString(tmp.resolve("synset.txt"), "x\ny\n");

        ModelPackage p = ModelPackage.open(pt);

        assertThat(p.id()).isEqualTo("shapes-v2");
        assertThat(p.location()).isEqualTo(pt.toAbsolutePath().normalize());
        assertThat(p.modelFile()).isEqualTo(pt.toAbsolutePath().normalize());
        assertThat(p.manifest().layerNames()).containsExactly("conv1", "layer4.0.relu#2", "layer4.0", "layer4");
        assertThat(p.manifest().sha256()).isEqualTo(ModelPackage.sha256(pt));
        assertThat(p.labels()).containsExactly("x", "y");
        assertThat(p.labelsKnown()).isTrue();
    }

    @Test
    void bareFileWithoutManifestOrLabels() throws Exception {
        Path sub = Files.createDirectories(tmp.resolve("loose"));
        Path pt = sub.resolve("resnet18.pt");
        torchScript(pt, null);

        ModelPackage p = ModelPackage.open(pt);

        assertThat(p.id()).isEqualTo("resnet18");
        assertThat(p.manifest().file()).isEqualTo("resnet18.pt");
        assertThat(p.labelsKnown()).isFalse();
        assertThat(p.labels()).isEmpty();
        assertThat(p.label(7)).isEqualTo("class 7");
        assertThat(p.manifest().provenance()).containsEntry("note", "no manifest: input 3x224x224 and ImageNet mean/std assumed");
    }

    @Test
    void brokenEmbeddedManifestIsReported() throws Exception {
        Path pt = tmp.resolve("broken.pt");
        torchScript(pt, "{not json");

        assertThatThrownBy(() -> ModelPackage.open(pt))
                .isInstanceOf(ModelPackageException.class)
                .hasMessageStartingWith(pt.toAbsolutePath().normalize() + " (embedded manifest) is not valid JSON: ");
    }

    @Test
    void invalidManifestJsonNamesTheManifestFile() throws Exception {
        Path dir = packageDir("bad-json", "{\"id\": ");

        assertThatThrownBy(() -> ModelPackage.open(dir))
                .isInstanceOf(ModelPackageException.class)
                .hasMessageStartingWith(dir.resolve("manifest.json") + " is not valid JSON: ");
    }
}
