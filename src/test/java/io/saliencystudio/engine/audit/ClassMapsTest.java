package io.saliencystudio.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.render.Colormap;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mean maps per class and outcome: running sums, exact means, and the small multiples they draw. */
class ClassMapsTest {

    private static Heatmap map(float... v) {
        return new Heatmap(2, 2, v, v.clone(), 0, 1);
    }

    @Test
    void meansAreKeptPerClassOutcomeAndMethod() {
        ClassMaps maps = new ClassMaps(3, 2, 2);
        maps.add(0, true, Map.of(Method.SALIENCY, map(1, 0, 0, 0), Method.GRADCAM, map(0, 0, 0, 1)));
        maps.add(0, true, Map.of(Method.SALIENCY, map(0, 1, 0, 0), Method.GRADCAM, map(0, 0, 0, 1)));
        maps.add(0, false, Map.of(Method.SALIENCY, map(0, 0, 1, 0), Method.GRADCAM, map(1, 1, 1, 1)));
        maps.add(2, false, Map.of(Method.SALIENCY, map(0.5f, 0.5f, 0.5f, Float.NaN), Method.GRADCAM, map(0, 0, 0, 0)));
        assertThat(maps.count(0, true)).isEqualTo(2);
        assertThat(maps.count(0, false)).isEqualTo(1);
        assertThat(maps.count(1, true)).isZero();
        assertThat(maps.mean(0, true, Method.SALIENCY)).containsExactly(new float[] {0.5f, 0.5f, 0, 0}, within(0f));
        assertThat(maps.mean(0, true, Method.GRADCAM)).containsExactly(0, 0, 0, 1);
        assertThat(maps.mean(0, false, Method.GRADCAM)).containsExactly(1, 1, 1, 1);
        // A NaN value (a failed pixel) counts as 0 rather than poisoning the class mean.
        assertThat(maps.mean(2, false, Method.SALIENCY)).containsExactly(0.5f, 0.5f, 0.5f, 0f);
        assertThat(maps.mean(1, true, Method.SALIENCY)).isNull();
        assertThat(maps.mean(0, true, Method.EIGENCAM)).isNull();
        assertThatThrownBy(() -> maps.add(3, true, Map.of())).hasMessageContaining("class 3 out of range 0..2");
        assertThatThrownBy(() -> maps.add(0, true, Map.of(Method.SALIENCY, new Heatmap(3, 1, new float[3],
                new float[3], 0, 1)))).hasMessageContaining("maps must be 2x2, got 3x1");
    }

    @Test
    void smallMultiplesHaveOneRowPerClassAndGreyCellsWhereNoImageIs() {
        ClassMaps maps = new ClassMaps(2, 2, 2);
        maps.add(0, true, Map.of(Method.GRADCAM, map(1, 1, 1, 1)));
        BufferedImage img = maps.render(List.of("cat", "dog"), Colormap.VIRIDIS, 20);
        // label column 130, two columns of 20 + 6 gap; header 40, two rows of 20 + 6
        assertThat(img.getWidth()).isEqualTo(130 + 2 * 26);
        assertThat(img.getHeight()).isEqualTo(40 + 2 * 26);
        // cat/right is the brightest mean (the top of the scale): viridis at 1; dog/right has no image: grey.
        assertThat(img.getRGB(130 + 10, 40 + 5) & 0xffffff).isEqualTo(Colormap.VIRIDIS.argb(1f) & 0xffffff);
        assertThat(img.getRGB(130 + 10, 40 + 26 + 5) & 0xffffff).isEqualTo(0xEEEEEE);
    }
}
