package io.saliencystudio.engine.figure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Never overwrite unasked; a failed write leaves neither a partial file nor a temporary one. */
class SafeWriteTest {

    @TempDir
    Path dir;

    @Test
    void existingFileIsLeftUntouchedWithoutOverwrite() throws Exception {
        Path file = dir.resolve("fig.pdf");
        Files.writeString(file, "precious");
        assertThatThrownBy(() -> new FigureExporter(false, false).export(FigureFixtures.rowSpec().build(), file))
                .isInstanceOf(SafeWrite.ExistsException.class).hasMessageContaining("fig.pdf already exists")
                .hasMessageContaining("untouched");
        assertThat(Files.readString(file)).isEqualTo("precious");
        assertThat(list()).containsExactly("fig.pdf");
    }

    @Test
    void existingSidecarAlsoBlocksTheExport() throws Exception {
        Files.writeString(dir.resolve("fig.svg.json"), "{}");
        assertThatThrownBy(() -> new FigureExporter(false, false).export(FigureFixtures.rowSpec().build(), dir.resolve("fig.svg")))
                .hasMessageContaining("fig.svg.json already exists");
        assertThat(list()).containsExactly("fig.svg.json");
    }

    @Test
    void overwriteReplacesAtomically() throws Exception {
        Path file = dir.resolve("fig.png");
        Files.writeString(file, "old");
        new FigureExporter(true, false).export(FigureFixtures.rowSpec().build(), file);
        assertThat(Files.readAllBytes(file)).startsWith(0x89, 'P', 'N', 'G');
        assertThat(list()).containsExactlyInAnyOrder("fig.png", "fig.png.json");
    }

    @Test
    void writtenFileGetsTheUsualPermissionsNotTheTempFiles() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        Path plain = Files.createFile(dir.resolve("plain.txt"));
        Path safe = dir.resolve("safe.txt");
        SafeWrite.write(safe, false, out -> out.write('x'));
        assertThat(Files.getPosixFilePermissions(safe)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void writerThatFailsMidWayLeavesNothing() throws Exception {
        Path file = dir.resolve("half.bin");
        assertThatThrownBy(() -> SafeWrite.write(file, false, out -> {
            out.write(new byte[100_000]);
            throw new IOException("No space left on device");
        })).hasMessageContaining("could not write").hasMessageContaining("No space left on device");
        assertThat(list()).isEmpty();
    }

    @Test
    void diskFullInTheMiddleOfTheFigureLeavesNothing() throws Exception {
        assertThatThrownBy(() -> failingOn(1, 1_000).export(FigureFixtures.rowSpec().build(), dir.resolve("fig.png")))
                .hasMessageContaining("could not write").hasMessageContaining("fig.png")
                .hasMessageContaining("No space left on device");
        assertThat(list()).isEmpty();
    }

    @Test
    void diskFullAfterTheFigureRemovesTheFigureToo() throws Exception {
        // The figure is complete and in place; the disk fills up while writing the first raw map.
        assertThatThrownBy(() -> failingOn(2, 10).export(FigureFixtures.rowSpec().build(), dir.resolve("fig.pdf")))
                .hasMessageContaining("saliency.npy").hasMessageContaining("No space left on device");
        assertThat(list()).isEmpty();
    }

    /** An exporter whose {@code n}-th output stream (1-based) throws "disk full" after {@code after} bytes. */
    static FigureExporter failingOn(int n, long after) {
        int[] opened = {0};
        return new FigureExporter(false, true, out -> ++opened[0] != n ? out : new FilterOutputStream(out) {
            long left = after;

            @Override
            public void write(int b) throws IOException {
                if (--left < 0) {
                    throw new IOException("No space left on device");
                }
                super.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
            }
        });
    }

    @Test
    void unwritableFolderSaysWhy() throws Exception {
        Path notAFolder = dir.resolve("file");
        Files.writeString(notAFolder, "x");
        assertThatThrownBy(() -> new FigureExporter(false, false).export(FigureFixtures.rowSpec().build(),
                notAFolder.resolve("fig.png"))).hasMessageContaining("cannot write").hasMessageContaining("does not exist");
        assertThatThrownBy(() -> SafeWrite.write(notAFolder.resolve("x.png"), false, out -> out.write(1)))
                .hasMessageContaining("not writable or missing");
        assertThat(list()).containsExactly("file");
    }

    @Test
    void unknownExtensionIsRefused() {
        assertThatThrownBy(() -> new FigureExporter(false, false).export(FigureFixtures.rowSpec().build(), dir.resolve("fig.jpg")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".png, .svg or .pdf");
    }

    private java.util.List<String> list() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
