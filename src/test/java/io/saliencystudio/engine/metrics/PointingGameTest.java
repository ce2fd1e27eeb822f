package io.saliencystudio.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.Preprocessing;
import org.junit.jupiter.api.Test;

class PointingGameTest {

    private static Heatmap peakAt(int x, int y, int w, int h) {
        float[] raw = new float[w * h];
        raw[y * w + x] = 1;
        return MapMath.saliency(raw, w, h);
    }

    @Test
    void toleranceIsFifteenPixelsAt224() {
        assertThat(PointingGame.toleranceFor(224)).isEqualTo(15);
        assertThat(PointingGame.toleranceFor(96)).isEqualTo(6);
        assertThat(PointingGame.toleranceFor(28)).isEqualTo(2);
        assertThat(PointingGame.toleranceFor(4)).isEqualTo(1);
    }

    @Test
    void hitInsideTheBoxAndWithinTheToleranceDisc() {
        int[] box = {20, 30, 40, 50}; // x1, y1 exclusive: the last pixels are 39, 49
        assertThat(PointingGame.play(peakAt(25, 35, 96, 96), box, 6).hit()).isTrue();
        assertThat(PointingGame.play(peakAt(45, 35, 96, 96), box, 6).hit()).isTrue(); // 6 px right of x=39
        assertThat(PointingGame.play(peakAt(46, 35, 96, 96), box, 6).hit()).isFalse();
        assertThat(PointingGame.play(peakAt(43, 53, 96, 96), box, 6).hit()).isTrue(); // (4, 4) from the corner: 32 <= 36
        assertThat(PointingGame.play(peakAt(44, 53, 96, 96), box, 6).hit()).isFalse(); // (5, 4): 41 > 36
        PointingGame.Result r = PointingGame.play(peakAt(14, 30, 96, 96), box, 6);
        assertThat(r.hit()).isTrue();
        assertThat(r.x()).isEqualTo(14);
        assertThat(r.y()).isEqualTo(30);
    }

    @Test
    void tiesGoToTheFirstPixel() {
        float[] raw = new float[16];
        raw[6] = 2;
        raw[9] = 2;
        PointingGame.Result r = PointingGame.play(MapMath.saliency(raw, 4, 4), new int[] {0, 0, 1, 1}, 1);
        assertThat(r.x()).isEqualTo(2);
        assertThat(r.y()).isEqualTo(1);
    }

    @Test
    void boxesFollowThePreprocessingGeometry() {
        InputSpec rgb96 = new InputSpec(3, 96, 96, InputSpec.ColorMode.RGB);
        Preprocessing stretch = new Preprocessing(Preprocessing.ResizePolicy.STRETCH, null, 255,
                new double[] {0.5, 0.5, 0.5}, new double[] {0.25, 0.25, 0.25});
        assertThat(PointingGame.boxToInput(new int[] {22, 43, 55, 76}, 96, 96, rgb96, stretch))
                .containsExactly(22, 43, 55, 76);
        assertThat(PointingGame.boxToInput(new int[] {20, 40, 61, 100}, 192, 192, rgb96, stretch))
                .containsExactly(10, 20, 31, 50);
        InputSpec rgb224 = new InputSpec(3, 224, 224, InputSpec.ColorMode.RGB);
        // 320x256 -> 320x256 (shorter side already 256) -> centre crop 224: left 48, top 16
        int[] cropped = PointingGame.boxToInput(new int[] {60, 20, 100, 80}, 320, 256, rgb224,
                Preprocessing.imagenet(224));
        assertThat(cropped).containsExactly(12, 4, 52, 64);
        assertThat(PointingGame.boxToInput(new int[] {0, 0, 40, 40}, 320, 256, rgb224, Preprocessing.imagenet(224)))
                .isNull();
    }
}
