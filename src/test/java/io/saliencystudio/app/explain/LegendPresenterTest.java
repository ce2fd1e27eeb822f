package io.saliencystudio.app.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.image.RgbImage;
import org.junit.jupiter.api.Test;

class LegendPresenterTest {

    private static final Heatmap UNSIGNED = new Heatmap(2, 1, new float[] {0.5f, 2f}, new float[] {0, 1}, 0.5f, 2f);
    private static final Heatmap SIGNED = new Heatmap(2, 1, new float[] {-3f, 1f}, new float[] {0, 1}, -3f, 1f,
            true);

    @Test
    void theLegendShowsTheRawRangeAndWhoseScaleItIs() {
        var own = LegendPresenter.legend(UNSIGNED, MapScaling.MIN_MAX, null, "layer4 · upsampled bilinear");
        assertThat(own).isEqualTo(new LegendPresenter.Legend("0.500", "2.00",
                "layer4 · upsampled bilinear · per map"));
        assertThat(own.text()).isEqualTo("0.500 … 2.00 | layer4 · upsampled bilinear · per map");
        var shared = LegendPresenter.legend(UNSIGNED, MapScaling.MIN_MAX, new MapScaling.Range(0, 10), " ");
        assertThat(shared).isEqualTo(new LegendPresenter.Legend("0", "10.0", "shared scale"));
    }

    @Test
    void signedAndClippedLegendsMarkTheirEnds() {
        assertThat(LegendPresenter.legend(SIGNED, MapScaling.MIN_MAX, null, "ig")).isEqualTo(new LegendPresenter
                .Legend("-3.00", "+3.00", "ig · signed, symmetric: blue < 0 (white) < red · per map"));
        var clipped = LegendPresenter.legend(SIGNED, MapScaling.PERCENTILE_99, null, " ");
        assertThat(clipped.min()).startsWith("≤-");
        assertThat(clipped.max()).startsWith("≥+");
        assertThat(LegendPresenter.legend(UNSIGNED, MapScaling.PERCENTILE_99, null, " ").max()).startsWith("≥");
    }

    @Test
    void withoutAMapOnlyTheCaptionShows() {
        assertThat(LegendPresenter.legend(null, MapScaling.MIN_MAX, null, "224×224 RGB"))
                .isEqualTo(new LegendPresenter.Legend("", "", "224×224 RGB"));
        assertThat(LegendPresenter.legend(null, MapScaling.MIN_MAX, null, null).caption()).isEqualTo(" ");
    }

    @Test
    void numbersHaveThreeDigitsOrAnExponent() {
        assertThat(LegendPresenter.format(0)).isEqualTo("0");
        assertThat(LegendPresenter.format(0.12345f)).isEqualTo("0.123");
        assertThat(LegendPresenter.format(-512.7f)).isEqualTo("-513");
        assertThat(LegendPresenter.format(0.001f)).isEqualTo("1.00e-03");
        assertThat(LegendPresenter.format(12345f)).isEqualTo("1.23e+04");
    }

    @Test
    void progressSaysTheStepAndPercentOrThatItIsUnknown() {
        assertThat(LegendPresenter.progress(-1, "batch")).isEqualTo("Computing…");
        assertThat(LegendPresenter.progress(0.25, "batch 2/8")).isEqualTo("batch 2/8 25%");
        assertThat(LegendPresenter.progress(1, null)).isEqualTo("100%");
    }

    @Test
    void theReadoutShowsThePixelOrTheMapValueUnderTheMouse() {
        RgbImage grey = new RgbImage(2, 1, new float[] {10, 10, 10, 1, 2, 3});
        assertThat(LegendPresenter.readout(grey, null, null, true, 0, 0)).isEqualTo("(0, 0)  grey 10");
        assertThat(LegendPresenter.readout(grey, null, null, true, 1, 0)).isEqualTo("(1, 0)  RGB 1 2 3");
        assertThat(LegendPresenter.readout(grey, UNSIGNED, new float[] {0, 1}, false, 1, 0))
                .isEqualTo("1.000  (raw 2.00)");
        assertThat(LegendPresenter.readout(grey, null, null, false, 1, 0)).isEqualTo(" ");
        assertThat(LegendPresenter.readout(grey, UNSIGNED, new float[] {0, 1}, false, 2, 0)).isEqualTo(" ");
        assertThat(LegendPresenter.readout(null, null, null, true, 0, 0)).isEqualTo(" ");
    }
}
