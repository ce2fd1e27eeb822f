package io.saliencystudio.app;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.app.dataset.DatasetViewModel;
import io.saliencystudio.app.dataset.DatasetWindow;
import io.saliencystudio.app.dataset.SelectionEvaluationViewModel;
import io.saliencystudio.app.dataset.SelectionEvaluationWindow;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.metrics.Faithfulness;
import io.saliencystudio.engine.metrics.FaithfulnessMetric;
import io.saliencystudio.engine.metrics.FaithfulnessMetrics;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.metrics.FaithfulnessSummary;
import io.saliencystudio.engine.metrics.Spread;
import io.saliencystudio.engine.model.ModelManifest;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;

/**
 * "Evaluate selection…" in the data set view with the real shapes model: a second evaluation replaces a running one,
 * progress counts images, and the table shows, per method and metric, exactly the aggregation of the per-image
 * metrics the single-image evaluation gives for those images.
 */
class SelectionEvaluationWindowTest extends WindowTestBase {

    private static final Path SHAPES = AppTestKit.samplesOf(AppTestKit.defaultModel());

    @Test
    void theTableShowsTheEngineAggregationOfTheSelectedImages() throws Exception {
        DatasetWindow w = openAuditedDataset(SHAPES, 18);
        DatasetViewModel vm = ctx.dataset();
        assertThat(robot.lookup("#dataset-evaluate").queryButton().isDisabled()).isTrue(); // nothing selected yet

        // A first evaluation of two rows, replaced at once by one of three others: only the second one's images count.
        onFx(() -> w.table().getSelectionModel().selectIndices(0, 1));
        robot.clickOn("#dataset-evaluate");
        onFx(() -> w.stage().toFront());
        onFx(() -> {
            w.table().getSelectionModel().clearSelection();
            w.table().getSelectionModel().selectIndices(5, 9, 14);
        });
        List<AuditRow> chosen = onFx(() -> List.copyOf(w.table().getSelectionModel().getSelectedItems()));
        assertThat(chosen).hasSize(3);
        robot.clickOn("#dataset-evaluate");
        SelectionEvaluationViewModel eval = ctx.selectionEvaluation();
        waitUntil("the selection evaluated", 180, () -> onFx(() -> !eval.runningProperty().get()
                && !eval.lines().isEmpty()));
        settle();
        assertThat(onFx(() -> eval.messageProperty().get())).startsWith("3 of 3 images in");
        assertThat(onFx(() -> List.copyOf(eval.failures()))).isEmpty();

        // The same images through the single-image path (as the main window's Evaluate and the CLI): explain for the
        // top class at the default layer, then FaithfulnessMetrics on each map, with the app's protocol and settings.
        LoadedModel model = onFx(() -> vm.model());
        FaithfulnessSettings protocol = onFx(() -> ctx.metrics().protocol());
        MethodSettings settings = onFx(() -> ctx.explain().settings());
        Map<String, Map<Method, Faithfulness>> perImage = new TreeMap<>();
        FaithfulnessSummary expected = new FaithfulnessSummary();
        for (AuditRow r : chosen) {
            Map<Method, Faithfulness> one = singleImage(model, SHAPES.resolve(r.image()), protocol, settings);
            perImage.put(r.image(), one);
            one.forEach((m, f) -> expected.add(r.image(), m, f, null));
        }

        SelectionEvaluationWindow results = onFx(() -> window.commands().selectionWindow());
        TableView<FaithfulnessSummary.Line> table = results.table();
        List<FaithfulnessSummary.Line> shown = onFx(() -> List.copyOf(table.getItems()));
        assertThat(shown).extracting(FaithfulnessSummary.Line::method).containsOnly(Method.SALIENCY, Method.GRADCAM);
        assertThat(shown).hasSize(8); // 2 methods x (deletion, insertion, average drop, increase)
        for (int i = 0; i < shown.size(); i++) {
            FaithfulnessSummary.Line line = shown.get(i);
            Spread want = expected.spread(line.method(), line.metric());
            String what = line.method().id() + " " + line.metric().id();
            assertThat(line.spread().n()).as(what).isEqualTo(3);
            assertThat(line.spread().mean()).as(what).isCloseTo(want.mean(), within(1e-9));
            assertThat(line.spread().sd()).as(what).isCloseTo(want.sd(), within(1e-9));
            assertThat(line.spread().median()).as(what).isCloseTo(want.median(), within(1e-9));
            int row = i;
            List<String> cells = onFx(() -> table.getColumns().stream()
                    .map(c -> String.valueOf(c.getCellData(row))).toList());
            assertThat(cells).as(what).containsExactly(line.method().displayName(), line.metric().displayName(),
                    line.metric().better(), SelectionEvaluationViewModel.meanText(want),
                    SelectionEvaluationViewModel.medianText(want), SelectionEvaluationViewModel.rangeText(want), "3");
        }

        // And by hand from the per-image values: the mean deletion AUC of saliency over the three images.
        double sum = 0;
        for (Map<Method, Faithfulness> one : perImage.values()) {
            sum += one.get(Method.SALIENCY).deletion().auc();
        }
        assertThat(onFx(() -> eval.summary().spread(Method.SALIENCY, FaithfulnessMetric.DELETION_AUC).mean()))
                .isCloseTo(sum / 3, within(1e-9));
        assertThat(onFx(() -> eval.csv())).startsWith(FaithfulnessSummary.CSV_HEADER)
                .contains("saliency,deletion_auc,lower,3,");
        onFx(() -> results.stage().close());

        // Export CSV… through the dialog service: a new file is written; an existing one only when the user agrees.
        ScriptedDialogs dialogs = new ScriptedDialogs();
        SelectionEvaluationWindow export = onFx(() -> new SelectionEvaluationWindow(eval, w.stage(), dialogs, ctx.io(),
                () -> tmp));
        Path csv = tmp.resolve("selection.csv");
        dialogs.files.add(List.of(tmp.resolve("selection"))); // no extension: .csv is added
        onFx(() -> button(export, "#selection-eval-export").fire());
        waitUntil("the CSV written", 20, () -> Files.exists(csv));
        assertThat(Files.readString(csv)).isEqualTo(onFx(() -> eval.csv()));
        Files.writeString(csv, "mine");
        dialogs.files.add(List.of(csv));
        dialogs.answers.add(false);
        onFx(() -> button(export, "#selection-eval-export").fire());
        assertThat(dialogs.asked).contains("Replace selection.csv?");
        assertThat(Files.readString(csv)).isEqualTo("mine");
        assertThat(onFx(() -> ((javafx.scene.control.Label) export.stage().getScene().lookup("#selection-eval-saved"))
                .getText())).startsWith("Export cancelled");
        onFx(() -> w.stage().close());
    }

    private static javafx.scene.control.Button button(SelectionEvaluationWindow win, String id) {
        return (javafx.scene.control.Button) win.stage().getScene().lookup(id);
    }

    private static Map<Method, Faithfulness> singleImage(LoadedModel model, Path file, FaithfulnessSettings protocol,
            MethodSettings settings) throws Exception {
        ModelManifest manifest = model.manifest();
        ModelInput input = new Preprocessor(manifest.input(), manifest.preprocessing())
                .apply(new ImageLoader().load(file), file.toString());
        ExplanationEngine engine = TestBackend.engine();
        Explanation e = engine.explain(model, ExplainRequest.of(List.of(input), null, Method.core(), null)
                .withSettings(settings)).join().get(0);
        Map<Method, Faithfulness> out = new TreeMap<>();
        for (Method m : Method.core()) {
            out.put(m, engine.withNetwork(model, settings.batchSize(), net -> FaithfulnessMetrics.evaluate(net,
                    input.tensor(), e.target().index(), e.result(m).map(), protocol, Progress.NONE)).join());
        }
        return out;
    }
}
