package io.saliencystudio.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.model.ManifestReader;
import io.saliencystudio.engine.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The app's remembered audits: one file per (model, data set), rows kept only while they still describe the data. */
class AuditCacheTest {

    private static final List<String> LABELS = List.of("circle", "square", "triangle", "star", "cross", "hexagon");

    private static ModelManifest shapes() throws Exception {
        return ManifestReader.parse(Files.readString(Path.of("models/shapes/manifest.json")), "shapes");
    }

    private static AuditDataset data(Path dir, String labelsCsv) throws IOException {
        for (String f : List.of("a.png", "b.png", "c.png")) {
            Files.write(dir.resolve(f), new byte[] {1});
        }
        Files.writeString(dir.resolve("labels.csv"), labelsCsv);
        return AuditDataset.open(dir, LABELS);
    }

    private static AuditRow row(String image, int truth, int predicted) {
        return new AuditRow(image, truth, predicted, 0.75, truth == predicted ? 0.75 : 0.125, 0.5, 0.28768207245178085,
                truth == predicted ? 1 : 2);
    }

    @Test
    void rowsWrittenByOneAuditAreReadBackInTheDataSetsOrder(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("data"));
        AuditDataset data = data(folder, "file,label\nc.png,star\na.png,circle\nb.png,square\n");
        AuditCache cache = new AuditCache(tmp.resolve("audits"));
        Path file = cache.file(shapes(), data);
        assertThat(cache.read(file, data, LABELS)).isEqualTo(AuditCache.Resumed.NONE);

        try (PredictionsCsv.Appender out = cache.start(file, LABELS, List.of())) {
            out.append(List.of(row("a.png", 0, 0), row("c.png", 3, 2)));
        }
        AuditCache.Resumed resumed = cache.read(file, data, LABELS);
        assertThat(resumed.rows()).containsExactly(row("c.png", 3, 2), row("a.png", 0, 0));
        assertThat(resumed.dropped()).isZero();
        assertThat(file).startsWith(tmp.resolve("audits"));
    }

    @Test
    void anotherModelOrEditedLabelsGetAnotherFile(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("data"));
        AuditCache cache = new AuditCache(tmp.resolve("audits"));
        ModelManifest model = shapes();
        Path first = cache.file(model, data(folder, "file,label\na.png,circle\nb.png,square\n"));
        Path again = cache.file(model, AuditDataset.open(folder, LABELS));
        Path relabelled = cache.file(model, data(folder, "file,label\na.png,circle\nb.png,star\n"));
        ModelManifest retrained = ManifestReader.parse(Files.readString(Path.of("models/shapes/manifest.json"))
                .replace(model.sha256(), "0".repeat(64)), "retrained");
        Path otherModel = cache.file(retrained, AuditDataset.open(folder, LABELS));
        assertThat(again).isEqualTo(first);
        assertThat(relabelled).isNotEqualTo(first);
        assertThat(otherModel).isNotEqualTo(first).isNotEqualTo(relabelled);
    }

    @Test
    void rowsOfImagesGoneOrRelabelledAndAPartialLastRowAreDropped(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("data"));
        AuditDataset data = data(folder, "file,label\na.png,circle\nb.png,square\nc.png,star\n");
        AuditCache cache = new AuditCache(tmp.resolve("audits"));
        Path file = cache.file(shapes(), data);
        try (PredictionsCsv.Appender out = cache.start(file, LABELS, List.of(row("a.png", 0, 0)))) {
            out.append(List.of(row("b.png", 2, 2), row("gone.png", 1, 1)));
        }
        Files.writeString(file, "c.png,star,sta", java.nio.file.StandardOpenOption.APPEND);
        AuditCache.Resumed resumed = cache.read(file, data, LABELS);
        // b.png's row says triangle, the data set says square; gone.png is not listed; c.png's row is cut short
        assertThat(resumed.rows()).containsExactly(row("a.png", 0, 0));
        assertThat(resumed.dropped()).isEqualTo(3);
    }

    @Test
    void aFileOfAnotherFormatIsDiscardedAndAuditAgainForgetsTheAudit(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("data"));
        AuditDataset data = data(folder, "file,label\na.png,circle\n");
        AuditCache cache = new AuditCache(tmp.resolve("audits"));
        Path file = cache.file(shapes(), data);
        Files.createDirectories(file.getParent());
        Files.writeString(file, "something,else\n1,2\n");
        assertThat(cache.read(file, data, LABELS)).isEqualTo(AuditCache.Resumed.NONE);
        assertThat(file).doesNotExist();

        cache.start(file, LABELS, List.of(row("a.png", 0, 0))).close();
        assertThat(cache.read(file, data, LABELS).rows()).hasSize(1);
        cache.discard(file);
        assertThat(file.getParent()).doesNotExist();
        assertThat(folder.resolve("a.png")).exists();
        cache.discard(folder.resolve("a.png")); // outside the cache folder: never deleted
        assertThat(folder.resolve("a.png")).exists();
    }
}
