package io.saliencystudio.app;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.dataset.DatasetViewModel;
import io.saliencystudio.app.dataset.DatasetWindow;
import io.saliencystudio.engine.audit.AuditRow;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.TableRow;
import org.junit.jupiter.api.Test;

/**
 * File > Open data set… on the shapes samples with the real shapes model: the rows arrive, a confusion cell filters
 * the table to its images, and a row opens in the main window's explanation panels.
 */
class DatasetWindowTest extends WindowTestBase {

    private static final Path SHAPES = AppTestKit.samplesOf(AppTestKit.defaultModel());

    @Test
    void openAuditFilterByConfusionCellAndExplainARow() {
        DatasetWindow w = openAuditedDataset(SHAPES, 18);
        DatasetViewModel vm = ctx.dataset();
        assertThat(onFx(() -> w.table().getItems().size())).isEqualTo(18);
        assertThat(onFx(() -> vm.messageProperty().get())).startsWith("18 images in");
        assertThat(robot.lookup("#confusion-0-0").queryButton().getText()).isEqualTo(Long.toString(onFx(() -> vm.count(0, 0))));
        // The first rows joined the table a few per frame; once they are in, the table has its whole height again and
        // shows as many rows as fit (more than the first frames' few); so does the per-class table, one row per class.
        assertThat(onFx(() -> w.table().getMaxHeight())).isEqualTo(Double.MAX_VALUE);
        long visibleRows = onFx(() -> w.table().lookupAll(".table-row-cell").stream()
                .filter(n -> n.isVisible() && n instanceof TableRow<?> r && r.getItem() != null).count());
        assertThat(visibleRows).isGreaterThan(4).isLessThanOrEqualTo(18);
        assertThat(onFx(() -> w.classTable().getMaxHeight())).isEqualTo(Double.MAX_VALUE);
        List<String> classRows = onFx(() -> w.classTable().lookupAll(".table-row-cell").stream()
                .filter(n -> n.isVisible() && n instanceof TableRow<?> r && r.getItem() != null)
                .map(n -> ((DatasetViewModel.ClassRow) ((TableRow<?>) n).getItem()).label()).sorted().toList());
        assertThat(classRows).isEqualTo(onFx(() -> vm.labels().stream().sorted().toList()));

        // The first off-diagonal cell with images, or the first class's diagonal when the model makes no mistake.
        int[] cell = onFx(() -> {
            for (int t = 0; t < 6; t++) {
                for (int p = 0; p < 6; p++) {
                    if (t != p && vm.count(t, p) > 0) {
                        return new int[] {t, p};
                    }
                }
            }
            return new int[] {0, 0};
        });
        long expected = onFx(() -> vm.count(cell[0], cell[1]));
        assertThat(expected).isPositive();
        robot.clickOn("#confusion-" + cell[0] + "-" + cell[1]);
        settle();
        List<AuditRow> shown = onFx(() -> List.copyOf(w.table().getItems()));
        assertThat(shown).hasSize((int) expected);
        assertThat(shown).allMatch(r -> r.trueIndex() == cell[0] && r.predicted() == cell[1]);
        String trueLabel = onFx(() -> vm.label(cell[0]));
        assertThat(shown).allMatch(r -> r.image().startsWith(trueLabel + "-"));
        assertThat(robot.lookup("#dataset-count").queryLabeled().getText()).isEqualTo(expected + " shown");
        String cellId = "#confusion-" + cell[0] + "-" + cell[1];
        assertThat(robot.lookup(cellId).queryButton().getStyle()).contains("-fx-border-color: #1e6fd9");

        // Explain the first shown row: it is added to the main window's list, selected, and explained.
        AuditRow first = shown.get(0);
        onFx(() -> w.table().getSelectionModel().select(0));
        robot.clickOn("#dataset-explain");
        Path file = SHAPES.resolve(first.image()).toAbsolutePath().normalize();
        waitUntil("the row selected in the main window", 20, () -> onFx(() -> ctx.images().selected() != null
                && ctx.images().selected().source().path().equals(file)));
        waitUntil("the row explained", 60, () -> onFx(() -> ctx.explain().outcome() != null
                && ctx.explain().outcome().query().image().path().equals(file)));

        // Clicking the cell again clears the filter; a double-click on another row opens that one. (The headless
        // platform does not keep an owned window above its owner, which Explain brought to the front.)
        onFx(() -> w.stage().toFront());
        robot.clickOn("#confusion-" + cell[0] + "-" + cell[1]);
        settle();
        assertThat(onFx(() -> w.table().getItems().size())).isEqualTo(18);
        assertThat(robot.lookup(cellId).queryButton().getStyle()).doesNotContain("-fx-border-color");
        AuditRow other = onFx(() -> w.table().getItems().stream().filter(r -> !r.equals(first)).findFirst().orElseThrow());
        Node rowNode = robot.from(w.table()).lookup((Node n) -> n instanceof TableRow<?> r && other.equals(r.getItem()))
                .query();
        robot.doubleClickOn(rowNode);
        Path otherFile = SHAPES.resolve(other.image()).toAbsolutePath().normalize();
        waitUntil("the double-clicked row selected", 20, () -> onFx(() -> ctx.images().selected() != null
                && ctx.images().selected().source().path().equals(otherFile)));
        assertThat(robot.lookup("#dataset-cancel").queryAs(Button.class).isDisabled()).isTrue();
        onFx(() -> w.stage().close());
    }
}
