package io.saliencystudio.app.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.Preprocessing;
import javafx.geometry.Rectangle2D;
import org.junit.jupiter.api.Test;

class BoxMappingTest {

    private static final InputSpec RGB224 = new InputSpec(3, 224, 224, InputSpec.ColorMode.RGB);

    @Test
    void stretchScalesEachAxis() {
        Preprocessing stretch = new Preprocessing(Preprocessing.ResizePolicy.STRETCH, null, 255, new double[] {0, 0, 0},
                new double[] {1, 1, 1});
        Rectangle2D r = BoxMapping.toSeen(new int[] {10, 20, 110, 70}, 448, 112, RGB224, stretch);
        assertThat(r).isEqualTo(new Rectangle2D(5, 40, 50, 100));
    }

    @Test
    void shorterSideCropShiftsByTheCropOffsetAndClips() {
        // 512x256 -> shorter side 256 (no scaling), centre crop 224: left = (512-224)/2 = 144, top = 16.
        Rectangle2D r = BoxMapping.toSeen(new int[] {150, 0, 200, 256}, 512, 256, RGB224, Preprocessing.imagenet(224));
        assertThat(r).isEqualTo(new Rectangle2D(6, 0, 50, 224));
        assertThat(BoxMapping.toSeen(new int[] {0, 0, 100, 100}, 512, 256, RGB224, Preprocessing.imagenet(224))).isNull();
    }
}
