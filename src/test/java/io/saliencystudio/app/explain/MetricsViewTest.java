package io.saliencystudio.app.explain;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.metrics.Curve;
import io.saliencystudio.engine.metrics.Faithfulness;
import javafx.scene.chart.XYChart;
import org.junit.jupiter.api.Test;

/** The metrics beside a panel: the chart of a given result, its AUCs in words, and the pointing game. */
class MetricsViewTest extends WindowTestBase {

    @Test
    void chartShowsTheCurvesAndAucsOfAResult() {
        awaitFirstExplanation();
        onFx(() -> ctx.inference().predictions().cancel());
        settle();
        Heatmap map = onFx(() -> window.panels().panel(Method.SALIENCY).heatmap());
        // Deletion falls linearly 0.8 -> 0 (AUC 0.4); insertion rises 0.2 -> 0.9 -> 1 (AUC 0.275 + 0.475).
        Faithfulness f = new Faithfulness(new Curve(new double[] {0, 0.5, 1}, new double[] {0.8, 0.4, 0}),
                new Curve(new double[] {0, 0.5, 1}, new double[] {0.2, 0.9, 1}), 0.8, 0.6, 0.25, false);
        MetricsView view = onFx(() -> window.panels().metrics(Method.SALIENCY));
        assertThat(onFx(view::summary)).isEmpty();
        assertThat(onFx(() -> view.chart().isVisible())).isFalse();
        onFx(() -> ctx.metrics().put(Method.SALIENCY, map, f));
        assertThat(onFx(view::summary)).isEqualTo("Deletion AUC 0.400 ↓ · Insertion AUC 0.750 ↑ · avg drop 25.0%");
        assertThat(onFx(() -> view.chart().isVisible())).isTrue();
        var series = onFx(() -> view.chart().getData().stream().map(XYChart.Series::getName).toList());
        assertThat(series).containsExactly("Deletion", "Insertion");
        assertThat(onFx(() -> view.chart().getData().get(1).getData().get(1).getYValue().doubleValue()))
                .isEqualTo(0.9);
        // A result belongs to its map: the Grad-CAM panel shows nothing, and "Evaluate" is done for saliency.
        assertThat(onFx(() -> window.panels().metrics(Method.GRADCAM).summary())).isEmpty();
        assertThat(robot.lookup("#evaluate-saliency").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#evaluate-gradcam").queryButton().isDisabled()).isFalse();
    }

    @Test
    void pointingGameIsShownWhenTheImageHasABox() {
        awaitFirstExplanation();
        var truth = onFx(() -> ctx.explain().truthProperty().get());
        assertThat(truth).as("the first shapes sample's truth, with the box from its labels.csv").isNotNull();
        assertThat(truth.hasBox()).as("the first shapes sample has a box").isTrue();
        var out = onFx(() -> ctx.explain().outcome());
        var m = out.query().model().manifest();
        var box = BoxMapping.toSeen(truth.box(), out.sourceWidth(), out.sourceHeight(), m.input(), m.preprocessing());
        for (Method method : new Method[] {Method.SALIENCY, Method.GRADCAM}) {
            boolean hit = PointingGame.hit(out.map(method), box.getMinX(), box.getMinY(), box.getMaxX(), box.getMaxY());
            assertThat(onFx(() -> window.panels().metrics(method).pointingText()))
                    .isEqualTo(hit ? "Pointing: hit ✓" : "Pointing: miss ✗");
        }
    }
}
