package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets one clear line (no stack trace unless --verbose); the good images of a batch still go through. */
class CliErrorsTest {

    private static final Path SAMPLE = CliRun.firstShapesSample();

    private static void assertOneLineError(CliRun run, String... fragments) {
        assertThat(run.err()).startsWith("error: ");
        String first = run.err().lines().findFirst().orElseThrow();
        for (String f : fragments) {
            assertThat(first).contains(f);
        }
        assertThat(run.err()).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    @Test
    void badImagesAreReportedAndSkippedWhileTheOthersAreExplained(@TempDir Path tmp) throws IOException {
        Path empty = Files.write(tmp.resolve("empty.png"), new byte[0]);
        Path html = Files.writeString(tmp.resolve("page.png"), "<html><body>not an image</body></html>");
        byte[] good = Files.readAllBytes(SAMPLE);
        Path truncated = Files.write(tmp.resolve("truncated.png"), Arrays.copyOf(good, good.length / 2));
        Path out = tmp.resolve("out");
        CliRun run = CliRun.of("explain", "--model", "models/shapes", "--out", out.toString(),
                empty.toString(), SAMPLE.toString(), html.toString(), truncated.toString(), tmp.resolve("missing.png").toString());
        assertThat(run.exitCode()).isEqualTo(Main.SOME_FAILED);
        assertThat(run.err().lines().filter(l -> l.startsWith("skipped: ")).count()).isEqualTo(4);
        assertThat(run.err()).contains("empty.png is empty (0 bytes)").contains("page.png is not an image")
                .contains("truncated.png could not be decoded").contains("missing.png: no such file");
        String stem = SAMPLE.getFileName().toString().replace(".png", "");
        assertThat(out.resolve(stem).resolve("gradcam.npy")).exists();
        assertThat(out.resolve("empty")).doesNotExist();
    }

    @Test
    void aNonTorchScriptModelIsOneLine() {
        CliRun run = CliRun.of("predict", "--model", "src/test/resources/models/state-dict.pt", SAMPLE.toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertOneLineError(run, "pickle", "not TorchScript");
        CliRun text = CliRun.of("predict", "--model", "src/test/resources/models/not-a-model.pt", SAMPLE.toString());
        assertOneLineError(text, "not a TorchScript file");
    }

    @Test
    void anUnknownModelIdListsTheIdsItKnows() {
        CliRun run = CliRun.of("predict", "--model", "nosuch", "--models-dir", "models", SAMPLE.toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertOneLineError(run, "No model 'nosuch'", "Known ids: fashion-mnist, shapes (see the models command)");
    }

    @Test
    void aMissingLabelFileIsNamed(@TempDir Path tmp) throws IOException {
        Path pkg = Files.createDirectories(tmp.resolve("shapes-copy"));
        for (String f : new String[] {"manifest.json", "model.pt"}) {
            Files.copy(Path.of("models/shapes").resolve(f), pkg.resolve(f));
        }
        CliRun run = CliRun.of("predict", "--model", pkg.toString(), SAMPLE.toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertOneLineError(run, "label file", "synset.txt", "is missing");
    }

    @Test
    void anUnknownLayerListsTheValidOnes(@TempDir Path tmp) {
        CliRun run = CliRun.of("explain", "--model", "models/shapes", "--layer", "layer5", "--out", tmp.toString(), SAMPLE.toString());
        assertThat(run.exitCode()).isEqualTo(Main.USAGE);
        assertOneLineError(run, "no layer 'layer5'", "Valid layers:", "layer4", "layer4.0.conv2");
    }

    @Test
    void aClassOutOfRangeOrUnknownSaysWhatExists(@TempDir Path tmp) {
        CliRun range = CliRun.of("explain", "--model", "models/shapes", "--class", "6", "--out", tmp.toString(), SAMPLE.toString());
        assertThat(range.exitCode()).isEqualTo(Main.USAGE);
        assertOneLineError(range, "--class 6 is out of range", "6 classes (0..5)");
        CliRun label = CliRun.of("explain", "--model", "models/shapes", "--class", "dodecahedron", "--out", tmp.toString(), SAMPLE.toString());
        assertOneLineError(label, "neither a class index nor a label", "circle");
    }

    @Test
    void gradCamOnAModelWithoutTapsSaysHowToReExport(@TempDir Path tmp) {
        CliRun run = CliRun.of("explain", "--model", "src/test/resources/models/plain-no-taps.pt", "--out", tmp.toString(), SAMPLE.toString());
        assertOneLineError(run, "no layer taps", "--method saliency", "export.py");
        CliRun saliency = CliRun.of("explain", "--model", "src/test/resources/models/plain-no-taps.pt", "--method", "saliency",
                "--out", tmp.toString(), SAMPLE.toString());
        assertThat(saliency.exitCode()).as(saliency.err()).isZero();
    }

    @Test
    void verboseShowsTheStackTrace() {
        CliRun run = CliRun.of("predict", "--verbose", "--model", "src/test/resources/models/state-dict.pt", SAMPLE.toString());
        assertThat(run.err()).startsWith("error: ").contains("\tat ");
    }

    @Test
    void anUnwritableOutputFolderIsReported(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        CliRun run = CliRun.of("explain", "--model", "models/shapes", "--out", file.resolve("sub").toString(), SAMPLE.toString());
        assertThat(run.exitCode()).isEqualTo(Main.FAILED);
        assertOneLineError(run, "cannot create output folder", "choose a writable --out");
        assertThat(Files.readString(file)).isEqualTo("x");
    }
}
