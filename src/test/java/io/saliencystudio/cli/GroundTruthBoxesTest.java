package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthBoxesTest {

    @TempDir
    Path dir;

    private final StringWriter err = new StringWriter();
    private final GroundTruthBoxes boxes = new GroundTruthBoxes(new PrintWriter(err));

    @Test
    void boxesComeFromLabelsCsvIncludingQuotedNames() throws IOException {
        Files.writeString(dir.resolve("labels.csv"), "\uFEFFfile,label,index,x0,y0,x1,y1\r\n"
                + "\"a, b.png\",\"T-shirt, top\",0,1,2,3,4\r\nc.png,cat,1,,,,\r\n");
        assertThat(boxes.boxOf(dir.resolve("a, b.png"))).containsExactly(1, 2, 3, 4);
        assertThat(boxes.boxOf(dir.resolve("c.png"))).isNull();
        assertThat(boxes.boxOf(dir.resolve("unlisted.png"))).isNull();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aMalformedFileIsReportedOnceAndGivesNoBoxes() throws IOException {
        Path csv = Files.writeString(dir.resolve("labels.csv"), "file,label,x0,y0,x1,y1\na.png,cat,1,2,3,4\n"
                + "b.png,dog,1,2,x,4\n");
        assertThat(boxes.boxOf(dir.resolve("a.png"))).isNull();
        assertThat(boxes.boxOf(dir.resolve("b.png"))).isNull();
        assertThat(err.toString()).isEqualTo("warning: " + csv.toAbsolutePath()
                + ": row 2: x1 must be an integer, got 'x'; the pointing game is skipped for that folder"
                + System.lineSeparator());
    }
}
