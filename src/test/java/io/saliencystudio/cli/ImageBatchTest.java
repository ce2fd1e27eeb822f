package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.model.ModelPackage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batching loop of explain and evaluate, without a model load: only the package's manifest is read. */
class ImageBatchTest {

    private static final Path SHAPES = Path.of("assets/samples/shapes");

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();

    private ImageBatch decoder() throws Exception {
        return new ImageBatch(ModelPackage.open(Path.of("models/shapes")).manifest(), new PrintWriter(err));
    }

    @Test
    void goodImagesGoInFullBatchesInOrderAndBadOnesAreReportedAndLeftOut() throws Exception {
        for (String name : List.of("circle-01.png", "circle-02.png", "star-01.png", "hexagon-03.png")) {
            Files.copy(SHAPES.resolve(name), dir.resolve(name));
        }
        Files.writeString(dir.resolve("circle-03.png"), "not an image");
        Files.writeString(dir.resolve("notes.txt"), "not listed");
        ImageBatch decoder = decoder();
        List<List<String>> batches = new ArrayList<>();
        int handed = decoder.inBatches(List.of(dir), 2, batch -> batches.add(batch.stream()
                .map(d -> d.file().getFileName().toString()).toList()));
        assertThat(batches).containsExactly(List.of("circle-01.png", "circle-02.png"),
                List.of("hexagon-03.png", "star-01.png"));
        assertThat(handed).isEqualTo(4);
        assertThat(decoder.failures()).isEqualTo(1);
        assertThat(err.toString()).startsWith("skipped: " + dir.resolve("circle-03.png"));
    }

    @Test
    void theLastBatchMayBeSmallerAndNoBatchIsEmpty() throws Exception {
        Path a = Files.copy(SHAPES.resolve("circle-01.png"), dir.resolve("a.png"));
        Path b = Files.copy(SHAPES.resolve("star-01.png"), dir.resolve("b.png"));
        Path bad = Files.writeString(dir.resolve("bad.png"), "x");
        ImageBatch decoder = decoder();
        List<Integer> sizes = new ArrayList<>();
        int handed = decoder.inBatches(List.of(a, b, bad), 8, batch -> sizes.add(batch.size()));
        assertThat(sizes).containsExactly(2);
        assertThat(handed).isEqualTo(2);
        List<Integer> none = new ArrayList<>();
        assertThat(decoder.inBatches(List.of(bad), 8, batch -> none.add(batch.size()))).isZero();
        assertThat(none).isEmpty();
        assertThat(decoder.failures()).isEqualTo(2);
    }
}
