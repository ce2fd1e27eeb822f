package io.saliencystudio.app.images;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {

    @TempDir
    Path dir;

    @Test
    void groundTruthReadsLabelsCsvWithQuotedCommas() throws IOException {
        Files.writeString(dir.resolve("labels.csv"), "file,label,x0,y0,x1,y1\r\n\"a, b.png\",\"T-shirt, top\",1,2,3,4\r\n"
                + "c.png,cat,,,,\r\n");
        Path ab = dir.resolve("a, b.png");
        Path c = dir.resolve("c.png");
        Map<Path, GroundTruth> truth = ImageFiles.groundTruth(List.of(ab, c, dir.resolve("unlisted.png")));
        assertThat(truth).containsOnlyKeys(ab, c);
        assertThat(truth.get(ab).label()).isEqualTo("T-shirt, top");
        assertThat(truth.get(ab).box()).containsExactly(1, 2, 3, 4);
        assertThat(truth.get(c).label()).isEqualTo("cat");
        assertThat(truth.get(c).hasBox()).isFalse();
    }

    @Test
    void aMalformedLabelsCsvGivesNoTruthForItsFolder() throws IOException {
        Files.writeString(dir.resolve("labels.csv"), "name,label\na.png,cat\n");
        assertThat(ImageFiles.groundTruth(List.of(dir.resolve("a.png")))).isEmpty();
    }

    @Test
    void foldersGiveTheirReadableImagesWhileNamedFilesAreKept() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        for (String name : List.of("b.PNG", "a.tif", "c.webp", "notes.txt")) {
            Files.createFile(sub.resolve(name));
        }
        Path named = Files.createFile(dir.resolve("x.webp"));
        assertThat(ImageFiles.expand(List.of(sub, named))).containsExactly(sub.resolve("a.tif"), sub.resolve("b.PNG"),
                named);
    }
}
