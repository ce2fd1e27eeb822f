package io.saliencystudio.app.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ViewportTest {

    @Test
    void zoomAtKeepsThePointUnderTheCursorInPlace() {
        Viewport v = new Viewport();
        // A point a quarter from the left, a third from the top: in a panel of width W it sits at
        // W/2 + (f - c) * w * s; after zooming, (f - c') * s' must equal (f - c) * s.
        double fx = 0.25;
        double fy = 0.33;
        double before = (fx - v.centerXProperty().get()) * v.zoomProperty().get();
        v.zoomAt(2.0, fx, fy);
        double after = (fx - v.centerXProperty().get()) * v.zoomProperty().get();
        assertThat(v.zoomProperty().get()).isEqualTo(2.0);
        assertThat(after).isCloseTo(before, within(1e-9));
        assertThat((fy - v.centerYProperty().get()) * 2.0).isCloseTo((fy - 0.5), within(1e-9));
    }

    @Test
    void zoomIsClampedAndFitRecentres() {
        Viewport v = new Viewport();
        v.zoomBy(0.5);
        assertThat(v.zoomProperty().get()).isEqualTo(Viewport.MIN_ZOOM);
        v.zoomBy(1000);
        assertThat(v.zoomProperty().get()).isEqualTo(Viewport.MAX_ZOOM);
        v.pan(5, -5);
        assertThat(v.centerXProperty().get()).isEqualTo(1.0);
        assertThat(v.centerYProperty().get()).isEqualTo(0.0);
        v.fit();
        assertThat(v.zoomProperty().get()).isEqualTo(1.0);
        assertThat(v.centerXProperty().get()).isEqualTo(0.5);
        // At fit there is nothing to pan.
        v.pan(0.2, 0.2);
        assertThat(v.centerXProperty().get()).isEqualTo(0.5);
    }
}
