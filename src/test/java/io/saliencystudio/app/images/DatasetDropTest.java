package io.saliencystudio.app.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A dropped folder that is a data set opens the data set view; everything else is routed as before. */
class DatasetDropTest {

    @TempDir
    Path tmp;

    @Test
    void aLabelledFolderGoesToTheDatasetViewAndTheRestToTheImageList() throws Exception {
        Path shapes = Path.of("assets/samples/shapes").toAbsolutePath();
        Path plain = Files.createDirectories(tmp.resolve("plain"));
        Path loose = shapes.resolve("circle-01.png");
        List<List<Path>> images = new ArrayList<>();
        List<Path> models = new ArrayList<>();
        List<Path> datasets = new ArrayList<>();
        FileDrop drop = new FileDrop(images::add, models::add, p -> Files.isRegularFile(p.resolve("labels.csv")),
                datasets::add);
        drop.accept(List.of(loose, shapes, plain, Path.of("models/shapes")));
        assertThat(datasets).containsExactly(shapes);
        assertThat(images).containsExactly(List.of(loose, plain));
        assertThat(models).containsExactly(Path.of("models/shapes"));
    }
}
