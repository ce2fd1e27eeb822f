package io.saliencystudio.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelManifestTest {

    private static final LayerTap CONV1 = new LayerTap(0, List.of("conv1"), 16, 48, 48);
    private static final LayerTap LAYER4 = new LayerTap(12, List.of("layer4.0.relu#2", "layer4.0", "layer4"), 128, 6, 6);

    private static ModelManifest manifest(List<LayerTap> taps, String tapMethod, Map<String, Object> provenance) {
        return new ModelManifest("id", "name", "", "model.pt", null, "synset.txt", new InputSpec(3, 96, 96, null),
                Preprocessing.imagenet(96), taps, "layer4", "forward", tapMethod, provenance);
    }

    @Test
    void tapFindsTheTapByAnyOfItsNames() {
        ModelManifest m = manifest(List.of(CONV1, LAYER4), "forward_tap", Map.of());

        assertThat(m.tap("layer4")).containsSame(LAYER4);
        assertThat(m.tap("layer4.0")).containsSame(LAYER4);
        assertThat(m.tap("layer4.0.relu#2")).containsSame(LAYER4);
        assertThat(m.tap("conv1")).containsSame(CONV1);
        assertThat(m.tap("layer3")).isEmpty();
    }

    @Test
    void layerNamesListsEveryNameInGraphOrder() {
        ModelManifest m = manifest(List.of(CONV1, LAYER4), "forward_tap", Map.of());

        assertThat(m.layerNames()).containsExactly("conv1", "layer4.0.relu#2", "layer4.0", "layer4");
    }

    @Test
    void hasTapsNeedsTapsAndATapMethod() {
        assertThat(manifest(List.of(CONV1), "forward_tap", Map.of()).hasTaps()).isTrue();
        assertThat(manifest(List.of(CONV1), null, Map.of()).hasTaps()).isFalse();
        assertThat(manifest(List.of(), "forward_tap", Map.of()).hasTaps()).isFalse();
        assertThat(manifest(List.of(), null, Map.of()).layerNames()).isEmpty();
    }

    @Test
    void provenanceKeepsNullValuesAndOrder() {
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("b", 1);
        p.put("a", null);

        ModelManifest m = manifest(List.of(), null, p);

        assertThat(m.provenance()).containsExactly(Map.entry("b", 1), new java.util.AbstractMap.SimpleEntry<>("a", null));
        assertThat(manifest(List.of(), null, null).provenance()).isEmpty();
    }

    @Test
    void withIdentityReplacesOnlyIdAndSha() {
        ModelManifest m = manifest(List.of(CONV1), "forward_tap", new HashMap<>());

        ModelManifest n = m.withIdentity("other", "abcd");

        assertThat(n.id()).isEqualTo("other");
        assertThat(n.sha256()).isEqualTo("abcd");
        assertThat(n.taps()).isEqualTo(m.taps());
        assertThat(n.input()).isEqualTo(new InputSpec(3, 96, 96, InputSpec.ColorMode.RGB));
        assertThat(n.preprocessing().resizeShorter()).isEqualTo(110);
    }
}
