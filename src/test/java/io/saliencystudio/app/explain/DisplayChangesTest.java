package io.saliencystudio.app.explain;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.differingPixels;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.pixels;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.render.Colormap;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.control.Slider;
import org.junit.jupiter.api.Test;

/** Opacity, colormap, hover and zoom are display changes: they re-render or restyle, never call the engine. */
class DisplayChangesTest extends WindowTestBase {

    /** First explanation shown and the background predictions stopped: from here on, nothing may reach the engine. */
    private void awaitAllIdle() {
        awaitFirstExplanation();
        onFx(() -> ctx.inference().predictions().cancel());
        settle();
    }

    @Test
    void opacitySliderChangesOverlayOpacityWithoutEngineCalls() {
        awaitAllIdle();
        int calls = backend.engineCalls();
        Slider slider = onFx(() -> PanelNodes.opacitySlider(window.panels().panel(Method.GRADCAM)));
        Bounds b = onFx(() -> slider.localToScreen(slider.getBoundsInLocal()));
        // Drag the thumb towards the left end: a real slider gesture.
        robot.drag(robot.lookup("#opacity-gradcam .thumb").queryAs(javafx.scene.Node.class))
                .moveTo(new Point2D(b.getMinX() + b.getWidth() * 0.1, b.getCenterY())).release(javafx.scene.input.MouseButton.PRIMARY);
        settle();
        double opacity = onFx(() -> PanelNodes.overlayView(window.panels().panel(Method.GRADCAM)).getOpacity());
        assertThat(opacity).isLessThan(0.3).isEqualTo(onFx(() -> slider.getValue() / 100), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(onFx(() -> ctx.display().opacityProperty(Method.GRADCAM).get())).isEqualTo(opacity);
        // The other panel keeps its own opacity.
        assertThat(onFx(() -> PanelNodes.overlayView(window.panels().panel(Method.SALIENCY)).getOpacity())).isEqualTo(0.6);
        onFx(() -> slider.setValue(100));
        assertThat(onFx(() -> PanelNodes.overlayView(window.panels().panel(Method.GRADCAM)).getOpacity())).isEqualTo(1.0);
        onFx(() -> slider.setValue(0));
        assertThat(onFx(() -> PanelNodes.overlayView(window.panels().panel(Method.GRADCAM)).getOpacity())).isEqualTo(0.0);
        assertThat(backend.engineCalls()).as("engine calls").isEqualTo(calls);
        assertThat(prefs.opacity("gradcam", -1)).isEqualTo(0.0);
    }

    @Test
    void colormapChangeReRendersFromTheCachedMapWithoutEngineCalls() {
        awaitAllIdle();
        int calls = backend.engineCalls();
        int[] viridis = pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.SALIENCY))));
        var map = onFx(() -> window.panels().panel(Method.SALIENCY).heatmap());
        onFx(() -> ctx.display().colormapProperty().set(Colormap.INFERNO));
        int[] inferno = pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.SALIENCY))));
        assertThat(differingPixels(viridis, inferno)).isGreaterThan(viridis.length / 2);
        // Pixel (0,0) is exactly the colormap's colour of the map's value there.
        assertThat(inferno[0]).isEqualTo(Colormap.INFERNO.argb(map.values()[0]));
        assertThat(onFx(() -> window.panels().panel(Method.SALIENCY).heatmap())).isSameAs(map);
        assertThat(backend.engineCalls()).as("engine calls").isEqualTo(calls);
        assertThat(prefs.colormap()).isEqualTo(Colormap.INFERNO);
    }

    @Test
    void hoverShowsTheValueAtThePixelInEveryPanel() {
        awaitFirstExplanation();
        var stageNode = robot.lookup("#panel-gradcam .image-stage").queryAs(javafx.scene.layout.Pane.class);
        Bounds b = onFx(() -> stageNode.localToScreen(stageNode.getBoundsInLocal()));
        robot.moveTo(new Point2D(b.getCenterX(), b.getCenterY()));
        waitUntil("hover", 10, () -> ctx.viewport().hoverXProperty().get() >= 0);
        int x = onFx(() -> ctx.viewport().hoverXProperty().get());
        int y = onFx(() -> ctx.viewport().hoverYProperty().get());
        var out = onFx(() -> ctx.explain().outcome());
        int w = out.seen().width();
        assertThat(x).isBetween(w / 2 - 2, w / 2 + 1);
        float cam = out.map(Method.GRADCAM).values()[y * w + x];
        float sal = out.map(Method.SALIENCY).values()[y * w + x];
        assertThat(onFx(() -> PanelNodes.readoutLabel(window.panels().panel(Method.GRADCAM)).getText()))
                .startsWith(String.format(java.util.Locale.ROOT, "%.3f", cam));
        assertThat(onFx(() -> PanelNodes.readoutLabel(window.panels().panel(Method.SALIENCY)).getText()))
                .startsWith(String.format(java.util.Locale.ROOT, "%.3f", sal));
        assertThat(onFx(() -> PanelNodes.readoutLabel(window.panels().original()).getText())).startsWith("(" + x + ", " + y + ")");
        robot.moveTo("#headline");
        waitUntil("hover cleared", 10, () -> ctx.viewport().hoverXProperty().get() < 0);
        assertThat(onFx(() -> PanelNodes.readoutLabel(window.panels().panel(Method.GRADCAM)).getText())).isBlank();
    }

    @Test
    void zoomAndPanAreSynchronisedAcrossPanels() {
        awaitAllIdle();
        int calls = backend.engineCalls();
        double fitWidth = onFx(() -> PanelNodes.baseView(window.panels().panel(Method.SALIENCY)).getFitWidth());
        // A wheel turn over the saliency panel (synthetic: Monocle's robot has no wheel).
        var sal = robot.lookup("#panel-saliency .image-stage").queryAs(javafx.scene.layout.Pane.class);
        onFx(() -> {
            Point2D scene = sal.localToScene(sal.getWidth() / 2, sal.getHeight() / 2);
            Point2D screen = sal.localToScreen(sal.getWidth() / 2, sal.getHeight() / 2);
            for (int k = 0; k < 3; k++) {
                javafx.event.Event.fireEvent(sal, new javafx.scene.input.ScrollEvent(javafx.scene.input.ScrollEvent.SCROLL,
                        scene.getX(), scene.getY(), screen.getX(), screen.getY(), false, false, false, false, false, false,
                        0, 40, 0, 40,
                        javafx.scene.input.ScrollEvent.HorizontalTextScrollUnits.NONE, 0,
                        javafx.scene.input.ScrollEvent.VerticalTextScrollUnits.NONE, 0, 0, null));
            }
        });
        waitUntil("zoomed", 10, () -> ctx.viewport().zoomProperty().get() > 1.5);
        // Zoomed about the panel centre: the image centre stays put.
        assertThat(onFx(() -> ctx.viewport().centerXProperty().get())).isEqualTo(0.5, org.assertj.core.data.Offset.offset(0.02));
        settle();
        double[] widths = onFx(() -> new double[] {PanelNodes.baseView(window.panels().original()).getFitWidth(),
            PanelNodes.overlayView(window.panels().panel(Method.SALIENCY)).getFitWidth(),
                PanelNodes.baseView(window.panels().panel(Method.GRADCAM)).getFitWidth()});
        assertThat(widths[0]).isGreaterThan(fitWidth * 1.5);
        assertThat(widths[1]).isEqualTo(widths[0], org.assertj.core.data.Offset.offset(1.0));
        assertThat(widths[2]).isEqualTo(widths[0], org.assertj.core.data.Offset.offset(1.0));
        double[] xs = onFx(() -> new double[] {PanelNodes.baseView(window.panels().original()).getX(),
            PanelNodes.baseView(window.panels().panel(Method.GRADCAM)).getX()});
        robot.drag("#panel-gradcam .image-stage").moveBy(40, 0).release(javafx.scene.input.MouseButton.PRIMARY);
        settle();
        assertThat(onFx(() -> ctx.viewport().centerXProperty().get())).as("centre after drag").isLessThan(0.5);
        double[] moved = onFx(() -> new double[] {PanelNodes.baseView(window.panels().original()).getX(),
            PanelNodes.baseView(window.panels().panel(Method.GRADCAM)).getX()});
        assertThat(moved[0] - xs[0]).isGreaterThan(10).isEqualTo(moved[1] - xs[1], org.assertj.core.data.Offset.offset(1.0));
        robot.type(javafx.scene.input.KeyCode.DIGIT0);
        waitUntil("fit again", 10, () -> ctx.viewport().zoomProperty().get() == 1.0);
        assertThat(backend.engineCalls()).isEqualTo(calls);
    }

    @Test
    void percentileScalingReRendersFromTheRawMapWithoutEngineCalls() {
        awaitAllIdle();
        int calls = backend.engineCalls();
        var map = onFx(() -> window.panels().panel(Method.SALIENCY).heatmap());
        int[] minMax = pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.SALIENCY))));
        onFx(() -> ctx.display().scalingProperty().set(MapScaling.PERCENTILE_99));
        int[] clipped = pixels(onFx(() -> PanelNodes.overlayImage(window.panels().panel(Method.SALIENCY))));
        assertThat(differingPixels(minMax, clipped)).isGreaterThan(minMax.length / 4);
        // Each pixel is the colormap of (raw - min) / (p99 - min), clamped: check the brightest pixel saturates.
        int brightest = map.argMax();
        assertThat(clipped[brightest]).isEqualTo(Colormap.DEFAULT.argb(1f));
        float p99 = MapScaling.PERCENTILE_99.top(map);
        assertThat(p99).isLessThan(map.rawMax());
        assertThat(onFx(() -> window.panels().panel(Method.SALIENCY).lookupAll(".range-label").stream()
                .map(n -> ((javafx.scene.control.Label) n).getText()).toList())).contains("≥" + LegendPresenter.format(p99));
        assertThat(backend.engineCalls()).isEqualTo(calls);
        assertThat(prefs.scaling()).contains("PERCENTILE_99");
    }
}
