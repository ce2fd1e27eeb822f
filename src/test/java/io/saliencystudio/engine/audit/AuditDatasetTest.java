package io.saliencystudio.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listing a labelled folder: labels.csv and ImageFolder layouts, and what is left out. */
class AuditDatasetTest {

    private static final List<String> LABELS = List.of("T-shirt/top", "Trouser", "Bag");

    private static void touch(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        Files.write(p, new byte[] {1});
    }

    @Test
    void labelsCsvRowsInOrderWithUnknownLabelsMissingFilesAndUnlistedImagesSkipped(@TempDir Path dir) throws IOException {
        touch(dir.resolve("a.png"));
        touch(dir.resolve("b.png"));
        touch(dir.resolve("c.png"));
        touch(dir.resolve("extra.jpg"));
        touch(dir.resolve("notes.txt"));
        Files.writeString(dir.resolve("labels.csv"), """
                file,label,index,x0,y0,x1,y1
                b.png,trouser,1,0,0,4,4
                a.png,T-shirt/top,0,,,,
                c.png,Sock,3,,,,
                gone.png,Bag,2,,,,
                """);
        AuditDataset d = AuditDataset.open(dir, LABELS);
        assertThat(d.layout()).isEqualTo(AuditDataset.LABELS_CSV);
        assertThat(d.items()).extracting(AuditItem::image, AuditItem::trueIndex)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("b.png", 1), org.assertj.core.groups.Tuple.tuple("a.png", 0));
        assertThat(d.skipped()).extracting(Skipped::file).containsExactly("c.png", "gone.png", "extra.jpg");
        assertThat(d.skipped().get(0).reason()).contains("unknown label 'Sock'");
        assertThat(d.skipped().get(1).reason()).isEqualTo("no such file");
        assertThat(d.skipped().get(2).reason()).isEqualTo("no row in labels.csv");
    }

    @Test
    void imageFolderByLabelFileNameSafeLabelAndIndex(@TempDir Path dir) throws IOException {
        touch(dir.resolve("T-shirt_top/x1.png"));
        touch(dir.resolve("T-shirt_top/x2.png"));
        touch(dir.resolve("1/y.png"));
        touch(dir.resolve("bag/deeper/z.png"));
        touch(dir.resolve("Socks/s.png"));
        touch(dir.resolve("9/w.png"));
        AuditDataset d = AuditDataset.open(dir, LABELS);
        assertThat(d.layout()).isEqualTo(AuditDataset.IMAGE_FOLDER);
        assertThat(d.items()).extracting(i -> i.image() + "=" + i.trueIndex())
                .containsExactly("1/y.png=1", "T-shirt_top/x1.png=0", "T-shirt_top/x2.png=0", "bag/deeper/z.png=2");
        assertThat(d.skipped()).extracting(Skipped::file).containsExactly("9/w.png", "Socks/s.png");
        assertThat(d.skipped().get(1).reason()).contains("unknown label 'Socks'");
    }

    @Test
    void aFolderWithoutLabelsSaysHowToLabelIt(@TempDir Path dir) throws IOException {
        touch(dir.resolve("a.png"));
        assertThatThrownBy(() -> AuditDataset.open(dir, LABELS)).isInstanceOf(IOException.class)
                .hasMessageContaining("no labels.csv and no class subfolders");
    }

    @Test
    void fileNameSafeLabels() {
        assertThat(LabelMatcher.fileName("T-shirt/top")).isEqualTo("T-shirt_top");
        assertThat(LabelMatcher.fileName("a:b*c?")).isEqualTo("a_b_c_");
        LabelMatcher m = new LabelMatcher(LABELS);
        assertThat(m.byFolderName("t-shirt_top")).hasValue(0);
        assertThat(m.byFolderName("2")).hasValue(2);
        assertThat(m.byFolderName("3")).isEmpty();
    }
}
