package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.ModelPackageException;
import io.saliencystudio.engine.model.TorchScriptArchive;
import io.saliencystudio.testing.TestModels;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model saved by a PyTorch newer than the bundled libtorch is refused with a message that names both versions and
 * what to do, never a libtorch stack trace: archives crafted from the export tool's tiny CNN, one claiming a newer
 * file format, one calling an operator this libtorch does not have.
 */
class NewerPyTorchTest {

    private static final Path PACKAGE = Path.of("src/test/resources/layout-model/package");

    @TempDir
    Path tmp;

    @Test
    void theEngineIsTheLibtorchTheMessagesName() {
        assertThat(TorchRuntime.version()).isEqualTo(TorchScriptArchive.ENGINE_TORCH);
    }

    @Test
    void aNewerFileFormatIsRefusedBeforeLibtorchSeesIt() throws Exception {
        Path pkg = craft("newer-format", "1.13.0a0", (name, bytes) -> name.equals("model/version")
                ? "12\n".getBytes(StandardCharsets.US_ASCII) : bytes);
        assertThatThrownBy(() -> ModelPackage.open(pkg)).isInstanceOf(ModelPackageException.class)
                .hasMessage(pkg.resolve("model.pt") + " was saved by PyTorch 1.13.0a0 in TorchScript file format 12;"
                        + " this app's libtorch 2.7.1 reads formats up to 10. Export it again with PyTorch 2.7.1 or"
                        + " older (e.g. Debian's python3-torch 1.13 and models/tools/export.py), from the same weights");
    }

    @Test
    void anOperatorThisLibtorchLacksNamesBothVersions() throws Exception {
        Path pkg = craft("newer-op", "2.11.0", (name, bytes) -> name.endsWith("torch/nn/modules/linear.py")
                ? new String(bytes, StandardCharsets.UTF_8).replace("torch.linear(", "torch.linear_from_2031(")
                        .getBytes(StandardCharsets.UTF_8)
                : bytes);
        ModelPackage opened = ModelPackage.open(pkg);
        assertThatThrownBy(() -> TestModels.engine().load(opened).join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(ModelPackageException.class)
                .hasMessageStartingWith("libtorch 2.7.1 cannot run " + pkg.resolve("model.pt")
                        + " (saved by PyTorch 2.11.0): Unknown builtin op: aten::linear_from_2031. ")
                .hasMessageContaining("linear_from_2031")
                .hasMessageEndingWith("It was probably saved by a newer PyTorch than this app's libtorch 2.7.1. "
                        + "Export it again with PyTorch 2.7.1 or older (e.g. Debian's python3-torch 1.13 and "
                        + "models/tools/export.py), from the same weights")
                .message().doesNotContain("\n");
        // The engine still loads a good model afterwards.
        assertThat(TestModels.load(PACKAGE).numClasses()).isEqualTo(5);
    }

    @Test
    void versionsCompareByMajorAndMinor() {
        assertThat(LoadedModel.newer("2.11.0+cpu", "2.7.1")).isTrue();
        assertThat(LoadedModel.newer("2.7.3", "2.7.1")).isFalse();
        assertThat(LoadedModel.newer("1.13.0a0", "2.7.1")).isFalse();
        assertThat(LoadedModel.newer("3.0", "2.7.1")).isTrue();
        assertThat(LoadedModel.newer("unknown", "2.7.1")).isFalse();
    }

    /** A copy of the package whose model.pt has its entries rewritten and whose manifest names {@code torch}. */
    private Path craft(String name, String torch, BiFunction<String, byte[], byte[]> rewrite) throws IOException {
        Path out = Files.createDirectories(tmp.resolve(name));
        Files.copy(PACKAGE.resolve("synset.txt"), out.resolve("synset.txt"));
        String manifest = Files.readString(PACKAGE.resolve("manifest.json"));
        assertThat(manifest).contains("\"torch\": \"1.13.0a0\"");
        Files.writeString(out.resolve("manifest.json"), manifest.replace("\"torch\": \"1.13.0a0\"",
                "\"torch\": \"" + torch + "\"").replaceAll("\"sha256\": \"[0-9a-f]+\"", "\"sha256\": null"));
        try (ZipFile in = new ZipFile(PACKAGE.resolve("model.pt").toFile());
                OutputStream file = Files.newOutputStream(out.resolve("model.pt"));
                ZipOutputStream zip = new ZipOutputStream(file)) {
            boolean rewritten = false;
            for (Enumeration<? extends ZipEntry> en = in.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                byte[] before = in.getInputStream(e).readAllBytes();
                byte[] after = rewrite.apply(e.getName(), before);
                rewritten |= after != before;
                if (e.getName().endsWith("/extra/saliency_studio.json")) {
                    after = new String(after, StandardCharsets.UTF_8).replace("\"torch\": \"1.13.0a0\"",
                            "\"torch\": \"" + torch + "\"").getBytes(StandardCharsets.UTF_8);
                }
                // TorchScript archives store their entries uncompressed.
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setMethod(ZipEntry.STORED);
                copy.setSize(after.length);
                CRC32 crc = new CRC32();
                crc.update(after);
                copy.setCrc(crc.getValue());
                zip.putNextEntry(copy);
                zip.write(after);
                zip.closeEntry();
            }
            assertThat(rewritten).as("the rewrite found its entry").isTrue();
        }
        return out;
    }
}
