package io.saliencystudio.engine.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelsCsvTest {

    @TempDir
    Path dir;

    private Path csv(String text) throws IOException {
        return Files.writeString(dir.resolve(LabelsCsv.FILE_NAME), text, StandardCharsets.UTF_8);
    }

    @Test
    void readsFileLabelIndexAndBoxInAnyColumnOrder() throws IOException {
        List<LabelRow> rows = LabelsCsv.read(csv("label,x0,y0,x1,y1,file,index\ncircle,22,43,55,76,c.png,0\n"
                + "star,1,2,3,4,s.png,3\n"));
        assertThat(rows).containsExactly(new LabelRow("c.png", "circle", 0, new int[] {22, 43, 55, 76}),
                new LabelRow("s.png", "star", 3, new int[] {1, 2, 3, 4}));
    }

    @Test
    void quotedFieldsMayHoldCommasQuotesAndLineBreaks() throws IOException {
        List<LabelRow> rows = LabelsCsv.read(csv("file,label\n\"a, b.png\",\"T-shirt, top\"\n"
                + "q.png,\"say \"\"hi\"\"\"\n\"two\nlines.png\",x\n"));
        assertThat(rows).containsExactly(new LabelRow("a, b.png", "T-shirt, top"), new LabelRow("q.png", "say \"hi\""),
                new LabelRow("two\nlines.png", "x"));
    }

    @Test
    void byteOrderMarkCrlfBlankLinesAndSpacesAreAccepted() throws IOException {
        List<LabelRow> rows = LabelsCsv.read(csv("\uFEFF File , Label ,Index\r\na.png , cat , 2\r\n\r\nb.png,dog,\r\n"));
        assertThat(rows).containsExactly(new LabelRow("a.png", "cat", 2, null), new LabelRow("b.png", "dog", null, null));
    }

    @Test
    void withoutBoxColumnsOrWithEmptyBoxCellsThereIsNoBox() throws IOException {
        assertThat(LabelsCsv.read(csv("file,label,index\na.png,cat,1\n"))).containsExactly(
                new LabelRow("a.png", "cat", 1, null));
        assertThat(LabelsCsv.read(csv("file,label,x0,y0,x1,y1\na.png,cat,,,,\nb.png,dog\n"))).containsExactly(
                new LabelRow("a.png", "cat"), new LabelRow("b.png", "dog"));
    }

    @Test
    void aMissingRequiredColumnNamesTheFileAndTheHeader() throws IOException {
        Path file = csv("file,x0,y0,x1,y1\na.png,1,2,3,4\n");
        assertThatThrownBy(() -> LabelsCsv.read(file)).isInstanceOf(LabelsCsvException.class)
                .hasMessage(file + ": the header row must name a file and a label column, got file,x0,y0,x1,y1");
    }

    @Test
    void malformedRowsAreReportedWithTheirRow() throws IOException {
        Path partialHeader = csv("file,label,x0,y0\na.png,cat,1,2\n");
        assertThatThrownBy(() -> LabelsCsv.read(partialHeader)).isInstanceOf(LabelsCsvException.class)
                .hasMessageContaining("a box needs all four columns x0,y0,x1,y1");
        Path notANumber = csv("file,label,x0,y0,x1,y1\na.png,cat,1,2,3,4\nb.png,dog,1,2,three,4\n");
        assertThatThrownBy(() -> LabelsCsv.read(notANumber)).isInstanceOf(LabelsCsvException.class)
                .hasMessage(notANumber + ": row 2: x1 must be an integer, got 'three'");
        Path partialBox = csv("file,label,x0,y0,x1,y1\na.png,cat,1,2,,\n");
        assertThatThrownBy(() -> LabelsCsv.read(partialBox)).hasMessage(partialBox
                + ": row 1: a box needs all of x0,y0,x1,y1 or none");
        Path noLabel = csv("file,label\na.png,\n");
        assertThatThrownBy(() -> LabelsCsv.read(noLabel)).hasMessage(noLabel + ": row 1: the label cell is empty");
        Path empty = csv("");
        assertThatThrownBy(() -> LabelsCsv.read(empty)).isInstanceOf(LabelsCsvException.class)
                .hasMessageContaining("empty");
        Path unclosedQuote = csv("file,label\n\"a.png,cat\n");
        assertThatThrownBy(() -> LabelsCsv.read(unclosedQuote)).isInstanceOf(LabelsCsvException.class)
                .hasMessageStartingWith(unclosedQuote + ": not a valid CSV file");
    }

    @Test
    void readFolderKeysByFileAndIsEmptyWithoutAFile() throws IOException {
        assertThat(LabelsCsv.readFolder(dir)).isEmpty();
        csv("file,label\na.png,cat\nb.png,dog\na.png,lion\n");
        Map<String, LabelRow> byFile = LabelsCsv.readFolder(dir);
        assertThat(byFile).containsOnlyKeys("a.png", "b.png");
        assertThat(byFile.get("a.png").label()).isEqualTo("lion");
    }

    @Test
    void writesOnlyTheColumnsInUseAndQuotesWhereNeeded() throws IOException {
        StringWriter plain = new StringWriter();
        LabelsCsv.write(plain, List.of(new LabelRow("a.png", "cat"), new LabelRow("b, c.png", "say \"hi\"")));
        assertThat(plain.toString()).isEqualTo("file,label\na.png,cat\n\"b, c.png\",\"say \"\"hi\"\"\"\n");
        StringWriter full = new StringWriter();
        LabelsCsv.write(full, List.of(new LabelRow("a.png", "cat", 1, new int[] {1, 2, 3, 4}),
                new LabelRow("b.png", "dog")));
        assertThat(full.toString()).isEqualTo("file,label,index,x0,y0,x1,y1\na.png,cat,1,1,2,3,4\nb.png,dog,,,,,\n");
    }

    @Test
    void whatIsWrittenReadsBackTheSame() throws IOException {
        List<LabelRow> rows = List.of(new LabelRow("a, b.png", "T-shirt, top", 0, new int[] {0, 0, 28, 28}),
                new LabelRow("ü.png", "\"quoted\"", null, null), new LabelRow("c.png", "cat", 7, null));
        Path file = dir.resolve("sub").resolve(LabelsCsv.FILE_NAME);
        Files.createDirectories(file.getParent());
        LabelsCsv.write(file, rows);
        assertThat(LabelsCsv.read(file)).isEqualTo(rows);
    }

    @Test
    void theBundledSamplesRead() throws IOException {
        Map<String, LabelRow> shapes = LabelsCsv.readFolder(Path.of("assets/samples/shapes"));
        assertThat(shapes.get("circle-01.png")).isEqualTo(new LabelRow("circle-01.png", "circle", 0,
                new int[] {22, 43, 55, 76}));
        Map<String, LabelRow> fashion = LabelsCsv.readFolder(Path.of("assets/samples/fashion-mnist"));
        assertThat(fashion.get("0000-ankle-boot.png")).isEqualTo(new LabelRow("0000-ankle-boot.png", "Ankle boot", 9,
                null));
    }
}
