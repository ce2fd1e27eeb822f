package io.saliencystudio.engine.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ColormapTest {

    private static float[] color(Colormap c, float v) {
        float[] rgb = new float[3];
        c.color(v, rgb);
        return rgb;
    }

    @Test
    void viridisEndpointsEqualMatplotlib() {
        // matplotlib.cm.viridis(0.0) and viridis(1.0)
        assertThat(color(Colormap.VIRIDIS, 0f)).containsExactly(new float[] {0.267004f, 0.004874f, 0.329415f}, within(1e-6f));
        assertThat(color(Colormap.VIRIDIS, 1f)).containsExactly(new float[] {0.993248f, 0.906157f, 0.143936f}, within(1e-6f));
    }

    @Test
    void viridisInterpolatesLinearlyBetweenTableRows() {
        // rows 127 (0.128729, 0.563265, 0.551229) and 128 (0.127568, 0.566949, 0.550556) of matplotlib's viridis;
        // v = 127.5 / 255 lies halfway between them
        float[] mid = color(Colormap.VIRIDIS, 127.5f / 255f);

        assertThat(mid).containsExactly(new float[] {
            (0.128729f + 0.127568f) / 2, (0.563265f + 0.566949f) / 2, (0.551229f + 0.550556f) / 2}, within(2e-6f));
        assertThat(color(Colormap.VIRIDIS, 128f / 255f)).containsExactly(new float[] {0.127568f, 0.566949f, 0.550556f}, within(2e-6f));
    }

    @Test
    void grayIsTheIdentityRamp() {
        assertThat(color(Colormap.GRAY, 0.3f)).containsExactly(new float[] {0.3f, 0.3f, 0.3f}, within(1e-5f));
        assertThat(color(Colormap.GRAY, 0.75f)).containsExactly(new float[] {0.75f, 0.75f, 0.75f}, within(1e-5f));
    }

    @Test
    void valuesOutsideTheUnitRangeAreClamped() {
        float[] low = color(Colormap.VIRIDIS, 0f);
        float[] high = color(Colormap.VIRIDIS, 1f);

        assertThat(color(Colormap.VIRIDIS, -0.5f)).containsExactly(low);
        assertThat(color(Colormap.VIRIDIS, Float.NEGATIVE_INFINITY)).containsExactly(low);
        assertThat(color(Colormap.VIRIDIS, 1.5f)).containsExactly(high);
        assertThat(color(Colormap.VIRIDIS, Float.POSITIVE_INFINITY)).containsExactly(high);
        assertThat(color(Colormap.JET, 7f)).containsExactly(new float[] {0.5f, 0f, 0f}, within(1e-6f));
    }

    @Test
    void nanMapsToTheLowestColour() {
        assertThat(color(Colormap.VIRIDIS, Float.NaN)).containsExactly(new float[] {0.267004f, 0.004874f, 0.329415f}, within(1e-6f));
        assertThat(color(Colormap.JET, Float.NaN)).containsExactly(new float[] {0f, 0f, 0.5f}, within(1e-6f));
    }

    @Test
    void argbRoundsEachChannelOnceToEightBits() {
        // matplotlib's viridis as 8-bit: #440154 at 0 and #fde725 at 1
        assertThat(Colormap.VIRIDIS.argb(0f)).isEqualTo(0xff440154);
        assertThat(Colormap.VIRIDIS.argb(1f)).isEqualTo(0xfffde725);
        assertThat(Colormap.GRAY.argb(0.5f)).isEqualTo(0xff808080); // 127.5 rounds up
    }

    @Test
    void fromIdIgnoresCaseAndSurroundingSpace() {
        assertThat(Colormap.fromId(" Viridis ")).isSameAs(Colormap.VIRIDIS);
        assertThat(Colormap.fromId("COOLWARM")).isSameAs(Colormap.COOLWARM);
        assertThat(Colormap.DEFAULT).isSameAs(Colormap.VIRIDIS);
    }

    @Test
    void fromIdListsTheChoicesForAnUnknownName() {
        assertThatThrownBy(() -> Colormap.fromId("rainbow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown colormap 'rainbow'; choose one of viridis, inferno, magma, plasma, turbo, jet, gray, coolwarm");
    }

    /** Every table loads, and color(i / 255) returns row i of the resource file, read here independently. */
    @ParameterizedTest
    @EnumSource(Colormap.class)
    void everyColormapLoads256RowsThatColorReturns(Colormap c) throws IOException {
        List<float[]> rows = new ArrayList<>();
        try (InputStream in = Colormap.class.getResourceAsStream("/io/saliencystudio/colormaps/" + c.id() + ".txt")) {
            assertThat(in).as("resource for %s", c).isNotNull();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (!line.isEmpty() && !line.startsWith("#")) {
                    String[] p = line.split("\\s+");
                    assertThat(p).hasSize(3);
                    rows.add(new float[] {Float.parseFloat(p[0]), Float.parseFloat(p[1]), Float.parseFloat(p[2])});
                }
            }
        }
        assertThat(rows).hasSize(256);
        for (int i = 0; i < 256; i++) {
            assertThat(color(c, i / 255f)).as("%s row %d", c, i).containsExactly(rows.get(i), within(1e-5f));
        }
        assertThat(rows.get(0)).isNotEqualTo(rows.get(255));
    }
}
