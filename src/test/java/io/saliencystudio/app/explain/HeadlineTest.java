package io.saliencystudio.app.explain;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.app.images.ImageItem;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import org.junit.jupiter.api.Test;

/** The headline over the panels stays one line, also for a misclassified image in a narrow window. */
class HeadlineTest extends WindowTestBase {

    @Test
    void aMisclassifiedImageKeepsItsHeadlineOnOneLineWithClassAndTruthWhole() {
        awaitFirstExplanation();
        onFx(() -> stage.setWidth(900));
        ImageItem hexagon = onFx(() -> ctx.images().items().stream()
                .filter(i -> i.name().equals("hexagon-03.png")).findFirst().orElseThrow());
        onFx(() -> ctx.images().selectedProperty().set(hexagon));
        waitUntil("hexagon-03 explained", 60, () -> ctx.explain().outcome() != null
                && !ctx.explain().busyProperty().get()
                && ctx.explain().outcome().query().image().equals(hexagon.source()));
        AppTestKit.settle();
        String text = onFx(() -> PanelNodes.headlineText(window.panels()));
        // The bundled shapes model calls hexagon-03 a circle: the headline carries the truth and the mistake.
        assertThat(text).startsWith("Explaining circle").contains("true: hexagon ✗ predicted circle");
        Region headline = onFx(() -> (Region) window.panels().lookup("#headline"));
        double lineHeight = onFx(() -> headline.getChildrenUnmodifiable().stream().mapToDouble(n -> n.prefHeight(-1))
                .max().orElseThrow());
        assertThat(onFx(headline::getHeight)).isLessThan(2 * lineHeight);
        // Every part sits on one baseline row: a wrapped headline puts the truth on a line below the class.
        assertThat(onFx(() -> headline.getChildrenUnmodifiable().stream()
                .map(n -> Math.round(n.getBoundsInParent().getMinY() + n.getBaselineOffset())).distinct().count()))
                .isEqualTo(1L);
        for (Node n : onFx(headline::getChildrenUnmodifiable)) {
            Label l = (Label) n;
            if (!l.getStyleClass().contains("headline-muted")) {
                // Class and truth are never cut short.
                assertThat(onFx(l::getWidth)).as(l.getText()).isGreaterThanOrEqualTo(onFx(() -> l.prefWidth(-1)) - 0.5);
            }
        }
    }
}
