package io.saliencystudio.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TapLayoutTest {

    /** value(c, y, x) = 100 c + 10 y + x, so a misplaced value names where it came from. */
    private static float value(int c, int y, int x) {
        return 100 * c + 10 * y + x;
    }

    @Test
    void nhwcBecomesChannelsFirst() {
        int h = 2, w = 3, c = 4;
        float[] raw = new float[h * w * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    raw[(y * w + x) * c + k] = value(k, y, x);
                }
            }
        }
        TapLayout layout = TapLayout.nhwc(h, w, c);
        float[] chw = layout.toChw(raw);
        for (int k = 0; k < c; k++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    assertThat(chw[(k * h + y) * w + x]).isEqualTo(value(k, y, x));
                }
            }
        }
        assertThat(layout.channels()).isEqualTo(4);
        assertThat(layout.fromChw(chw, null)).containsExactly(raw);
    }

    @Test
    void tokensDropTheClassTokenAndFillTheGridRowByRow() {
        int prefix = 1, h = 2, w = 2, c = 3;
        float[] raw = new float[(prefix + h * w) * c];
        for (int k = 0; k < c; k++) {
            raw[k] = -1; // the class token
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int k = 0; k < c; k++) {
                    raw[(prefix + y * w + x) * c + k] = value(k, y, x);
                }
            }
        }
        TapLayout layout = TapLayout.tokens(5, 3, 1, 2, 2);
        float[] chw = layout.toChw(raw);
        assertThat(chw).containsExactly(0, 1, 10, 11, 100, 101, 110, 111, 200, 201, 210, 211);
        float[] back = layout.fromChw(chw, null);
        assertThat(back).containsExactly(0, 0, 0, 0, 100, 200, 1, 101, 201, 10, 110, 210, 11, 111, 211);
        float[] withPrefix = layout.fromChw(chw, raw);
        assertThat(withPrefix).containsExactly(raw);
    }

    @Test
    void nchwIsReadAsItIs() {
        float[] raw = {1, 2, 3, 4, 5, 6};
        TapLayout layout = TapLayout.nchw(3, 1, 2);
        assertThat(layout.toChw(raw)).containsExactly(raw);
        assertThat(layout.describe()).isEqualTo("3x1x2");
    }

    @Test
    void listingsSpellOutTheLayout() {
        assertThat(TapLayout.tokens(197, 768, 1, 14, 14).describe()).isEqualTo("197 tokens -> 14x14 + 1 · 768 ch");
        assertThat(TapLayout.tokens(196, 768, 0, 14, 14).describe()).isEqualTo("196 tokens -> 14x14 · 768 ch");
        assertThat(TapLayout.nhwc(7, 7, 768).describe()).isEqualTo("768x7x7 (NHWC)");
        assertThat(TapLayout.flat(768).describe()).isEqualTo("768 (no grid)");
    }

    @Test
    void tapsWithoutAGridAreNotForLayerMethodsAndSayWhy() {
        TapLayout pooled = TapLayout.flat(512);
        assertThat(pooled.spatial()).isFalse();
        assertThat(pooled.unavailableReason()).isEqualTo("it has no spatial grid (a pooled output or a class token)");
        TapLayout undecided = TapLayout.tokens(50, 64, 0, 0, 0);
        assertThat(undecided.spatial()).isFalse();
        assertThat(undecided.unavailableReason()).isEqualTo("its 50 tokens have no spatial grid the export could decide");
        assertThatThrownBy(() -> pooled.toChw(new float[512])).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no spatial grid");
        assertThat(TapLayout.nchw(8, 4, 4).unavailableReason()).isNull();
    }

    @Test
    void inconsistentTokenCountsAndWrongSizesAreRefused() {
        assertThatThrownBy(() -> TapLayout.tokens(197, 768, 0, 14, 14))
                .hasMessage("a tokens tap of 197 tokens cannot hold 0 leading tokens and a 14x14 grid");
        assertThatThrownBy(() -> TapLayout.nhwc(2, 2, 3).toChw(new float[11]))
                .hasMessage("a tap tensor of 11 values does not have shape [2, 2, 3]");
    }
}
