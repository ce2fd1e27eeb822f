package io.saliencystudio.app.explain;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.metrics.Curve;
import io.saliencystudio.engine.metrics.Faithfulness;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * One method's faithfulness beside its panel: an Evaluate button, then a small deletion/insertion chart with both
 * AUCs and the average drop; the pointing-game hit or miss when the image has a ground-truth box. Reads
 * {@link MetricsViewModel}; the chart appears only once there is something to plot.
 */
public final class MetricsView extends VBox {

    private final Method method;
    private final MetricsViewModel metrics;
    private final Button evaluate = new Button("Evaluate");
    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar(-1);
    private final Label summary = new Label();
    private final Label pointing = new Label();
    private final LineChart<Number, Number> chart;
    private final XYChart.Series<Number, Number> deletion = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> insertion = new XYChart.Series<>();
    private final Tooltip chartTip = new Tooltip();
    private final Tooltip summaryTip = new Tooltip();
    private Heatmap shownMap;

    public MetricsView(Method method, MetricsViewModel metrics) {
        super(2);
        this.method = method;
        this.metrics = metrics;
        getStyleClass().add("metrics-view");
        setId("metrics-" + method.id());
        evaluate.setId("evaluate-" + method.id());
        evaluate.getStyleClass().add("small");
        evaluate.setTooltip(new Tooltip("Deletion and insertion curves and average drop of this map, with the "
                + "protocol named above the panels; runs in the background"));
        evaluate.setOnAction(e -> metrics.evaluate(method));
        cancel.getStyleClass().add("small");
        cancel.setOnAction(e -> metrics.cancel(method));
        progress.setPrefWidth(80);
        summary.setId("metrics-summary-" + method.id());
        summary.getStyleClass().addAll("muted", "metrics-summary");
        summary.setWrapText(true);
        summary.setMinWidth(0);
        pointing.setId("pointing-" + method.id());
        pointing.getStyleClass().add("pointing");
        pointing.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox row = new HBox(6, evaluate, progress, cancel, pointing);
        row.setAlignment(Pos.CENTER_LEFT);
        NumberAxis x = new NumberAxis(0, 1, 0.5);
        NumberAxis y = new NumberAxis();
        y.setAutoRanging(true);
        y.setForceZeroInRange(true);
        for (NumberAxis a : new NumberAxis[] {x, y}) {
            a.setTickLabelsVisible(false);
            a.setTickMarkVisible(false);
            a.setMinorTickVisible(false);
            a.setPrefSize(0, 0);
        }
        chart = new LineChart<>(x, y);
        chart.setId("chart-" + method.id());
        chart.setAnimated(false);
        chart.setCreateSymbols(false);
        chart.setLegendVisible(false);
        chart.setHorizontalGridLinesVisible(false);
        chart.setVerticalGridLinesVisible(false);
        chart.setPadding(javafx.geometry.Insets.EMPTY);
        chart.setMinSize(96, 56);
        chart.setPrefSize(110, 60);
        chart.setMaxSize(110, 60);
        chart.getStyleClass().add("metrics-chart");
        deletion.setName("Deletion");
        insertion.setName("Insertion");
        chart.getData().addAll(java.util.List.of(deletion, insertion));
        Tooltip.install(chart, chartTip);
        VBox text = new VBox(2, row, summary);
        HBox.setHgrow(text, Priority.ALWAYS);
        HBox body = new HBox(6, chart, text);
        body.setAlignment(Pos.CENTER_LEFT);
        getChildren().add(body);
        metrics.states().addListener((javafx.collections.MapChangeListener<Method, MetricsViewModel.State>) c -> {
            if (c.getKey() == method) {
                update();
            }
        });
        update();
    }

    /** The map now shown in the panel and, when the image has a ground-truth box, whether the map points into it. */
    public void showFor(Heatmap map, Boolean pointingHit) {
        shownMap = map;
        pointing.setText(pointingHit == null ? "" : pointingHit ? "Pointing: hit ✓" : "Pointing: miss ✗");
        pointing.getStyleClass().removeAll("headline-ok", "headline-bad");
        if (pointingHit != null) {
            pointing.getStyleClass().add(pointingHit ? "headline-ok" : "headline-bad");
        }
        update();
    }

    private void update() {
        MetricsViewModel.State s = metrics.state(method, shownMap);
        boolean running = s != null && s.running();
        Faithfulness f = s == null ? null : s.result();
        evaluate.setDisable(shownMap == null || running || f != null);
        show(progress, running);
        show(cancel, running);
        if (running) {
            progress.setProgress(s.progress() < 0 ? -1 : s.progress());
        }
        show(chart, f != null);
        if (f != null) {
            deletion.getData().setAll(points(f.deletion()));
            insertion.getData().setAll(points(f.insertion()));
            summary.setText(summaryText(f));
            // Results of another protocol are dropped when it changes: the current one is what this was measured with.
            String measured = "Measured with " + metrics.caption();
            chartTip.setText("Class score as the most important pixels are deleted (falls fast if faithful) and "
                    + "inserted onto a blurred image (rises fast if faithful). " + measured);
            summaryTip.setText(measured);
        } else {
            deletion.getData().clear();
            insertion.getData().clear();
            summary.setText(s != null && s.problem() != null ? s.problem() : "");
        }
        summary.setTooltip(f != null ? summaryTip : null);
        show(summary, !summary.getText().isEmpty());
    }

    /** "Deletion AUC … ↓ · Insertion AUC … ↑ · Avg drop …%": what the chart says in numbers. */
    public static String summaryText(Faithfulness f) {
        return String.format(Locale.ROOT, "Deletion AUC %.3f ↓ · Insertion AUC %.3f ↑ · avg drop %.1f%%%s",
                f.deletion().auc(), f.insertion().auc(), f.averageDrop() * 100,
                f.increase() ? " (confidence increased)" : "");
    }

    private static java.util.List<XYChart.Data<Number, Number>> points(Curve c) {
        java.util.List<XYChart.Data<Number, Number>> out = new java.util.ArrayList<>();
        for (int i = 0; i < c.fractions().length; i++) {
            out.add(new XYChart.Data<>(c.fractions()[i], c.scores()[i]));
        }
        return out;
    }

    private static void show(javafx.scene.Node n, boolean on) {
        n.setVisible(on);
        n.setManaged(on);
    }

    public String summary() {
        return summary.getText();
    }

    public String pointingText() {
        return pointing.getText();
    }

    /** The chart's tooltip text (names the protocol of the result shown). */
    public String chartTooltip() {
        return chartTip.getText();
    }

    public LineChart<Number, Number> chart() {
        return chart;
    }
}
