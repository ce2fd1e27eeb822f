package io.saliencystudio.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerTapTest {

    @Test
    void displayNameIsTheOutermostModule() {
        LayerTap tap = new LayerTap(12, List.of("layer4.1.relu#2", "layer4.1", "layer4"), 512, 7, 7);

        assertThat(tap.displayName()).isEqualTo("layer4");
        assertThat(new LayerTap(0, List.of("conv1"), 64, 112, 112).displayName()).isEqualTo("conv1");
    }

    @Test
    void hasNameMatchesAnyOfItsNamesExactly() {
        LayerTap tap = new LayerTap(12, List.of("layer4.1.relu#2", "layer4.1", "layer4"), 512, 7, 7);

        assertThat(tap.hasName("layer4.1")).isTrue();
        assertThat(tap.hasName("layer4.1.relu#2")).isTrue();
        assertThat(tap.hasName("layer4.1.relu")).isFalse();
        assertThat(tap.hasName("LAYER4")).isFalse();
    }

    @Test
    void shapeTextIsCxHxW() {
        assertThat(new LayerTap(3, List.of("features.10"), 256, 13, 27).shapeText()).isEqualTo("256x13x27");
    }

    @Test
    void namesAreCopiedAndMustNotBeEmpty() {
        List<String> names = new ArrayList<>(List.of("a"));
        LayerTap tap = new LayerTap(1, names, 1, 1, 1);
        names.add("b");

        assertThat(tap.names()).containsExactly("a");
        assertThatThrownBy(() -> new LayerTap(5, List.of(), 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("tap 5 has no name");
    }
}
