package io.saliencystudio.app.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Heatmap;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Colour scales: symmetric for signed maps, shared ranges, and the pointing game's geometry. */
class MapScalingTest {

    private static Heatmap unsigned(float... raw) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : raw) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float[] values = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            values[i] = (raw[i] - lo) / (hi - lo);
        }
        return new Heatmap(raw.length, 1, raw, values, lo, hi);
    }

    private static Heatmap signed(float... raw) {
        float m = 0;
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : raw) {
            m = Math.max(m, Math.abs(v));
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        float[] values = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            values[i] = 0.5f + raw[i] / (2 * m);
        }
        return new Heatmap(raw.length, 1, raw, values, lo, hi, true);
    }

    @Test
    void signedMapsAreScaledSymmetricallyAboutZero() {
        Heatmap h = signed(-1, 0, 2, 4);
        assertThat(MapScaling.MIN_MAX.range(h)).isEqualTo(new MapScaling.Range(-4, 4));
        // Zero sits at the middle of the colormap; -1 at 3/8.
        assertThat(MapScaling.MIN_MAX.scale(h, MapScaling.MIN_MAX.range(h)))
                .containsExactly(new float[] {0.375f, 0.5f, 0.75f, 1f}, Offset.offset(1e-6f));
        assertThat(MapScaling.MIN_MAX.scale(h)).isSameAs(h.values());
    }

    @Test
    void sharedRangeIsTheUnionOfTheMapsOfOneKind() {
        Heatmap a = unsigned(0, 1, 2);
        Heatmap b = unsigned(1, 3, 5);
        Heatmap s = signed(-2, 1);
        assertThat(MapScaling.MIN_MAX.shared(List.of(a, b, s), false)).isEqualTo(new MapScaling.Range(0, 5));
        assertThat(MapScaling.MIN_MAX.shared(List.of(a, b, s), true)).isEqualTo(new MapScaling.Range(-2, 2));
        assertThat(MapScaling.MIN_MAX.shared(List.of(a), true)).isNull();
        // On the shared scale a map that spans less of it is drawn less bright.
        assertThat(MapScaling.MIN_MAX.scale(a, new MapScaling.Range(0, 5)))
                .containsExactly(new float[] {0f, 0.2f, 0.4f}, Offset.offset(1e-6f));
    }

    @Test
    void percentileClipOfASignedMapUsesMagnitudes() {
        float[] raw = new float[100];
        for (int i = 0; i < 100; i++) {
            raw[i] = i % 2 == 0 ? -(i + 1) : i + 1;
        }
        Heatmap h = signed(raw);
        // |raw| runs 1..100: the 99th percentile of the magnitudes is 99.
        assertThat(MapScaling.PERCENTILE_99.range(h)).isEqualTo(new MapScaling.Range(-99, 99));
    }

    @Test
    void pointingGameHitsInsideTheBoxWithinTheScaledTolerance() {
        float[] raw = new float[96 * 96];
        raw[40 * 96 + 50] = 1; // maximum at (50, 40)
        Heatmap h = unsigned(raw);
        Heatmap map = new Heatmap(96, 96, h.raw(), h.values(), h.rawMin(), h.rawMax());
        assertThat(PointingGame.tolerance(96)).isEqualTo(15.0 * 96 / 224);
        assertThat(PointingGame.hit(map, 45, 35, 60, 50)).isTrue();
        // Box ends 5 px left of the maximum's centre (50.5): inside the 6.4 px tolerance; 8 px is outside.
        assertThat(PointingGame.hit(map, 30, 35, 45.5, 50)).isTrue();
        assertThat(PointingGame.hit(map, 30, 35, 42.5, 50)).isFalse();
        float[] flat = new float[4];
        assertThat(PointingGame.hit(new Heatmap(2, 2, flat, flat, 0, 0), 0, 0, 2, 2)).as("blank map").isFalse();
    }
}
