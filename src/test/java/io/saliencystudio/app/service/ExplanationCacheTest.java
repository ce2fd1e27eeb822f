package io.saliencystudio.app.service;

import static io.saliencystudio.app.service.CacheFixtures.IMAGE;
import static io.saliencystudio.app.service.CacheFixtures.MODEL;
import static io.saliencystudio.app.service.CacheFixtures.explanation;
import static io.saliencystudio.app.service.CacheFixtures.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class ExplanationCacheTest {

    private static final EnumSet<Method> BOTH = EnumSet.of(Method.SALIENCY, Method.SMOOTHGRAD);

    private final ExplanationCache cache = new ExplanationCache(1L << 20);

    @Test
    void anEmptyCacheKnowsNeitherTheClassNorAnyMap() {
        var hit = cache.lookup(IMAGE.id(), MODEL, query(null, BOTH, MethodSettings.DEFAULTS));
        assertThat(hit.classIndex()).isNull();
        assertThat(hit.prediction()).isNull();
        assertThat(hit.found()).isEmpty();
        assertThat(hit.missing()).containsExactlyInAnyOrder(Method.SALIENCY, Method.SMOOTHGRAD);
        assertThat(hit.whole()).isFalse();
    }

    @Test
    void aKnownPredictionAnswersTheTopClassAndItsMapsComeBack() {
        cache.put(IMAGE.id(), MODEL, query(null, BOTH, MethodSettings.DEFAULTS), explanation(2, 0.5f, Method.SALIENCY));
        var hit = cache.lookup(IMAGE.id(), MODEL, query(null, BOTH, MethodSettings.DEFAULTS));
        assertThat(hit.classIndex()).isEqualTo(2);
        assertThat(hit.found()).containsOnlyKeys(Method.SALIENCY);
        assertThat(hit.found().get(Method.SALIENCY).map().values()[0]).isEqualTo(0.5f);
        assertThat(hit.missing()).containsExactly(Method.SMOOTHGRAD);
        assertThat(hit.whole()).isFalse();
        assertThat(cache.maps()).isEqualTo(1);
        assertThat(cache.prediction(IMAGE.id(), MODEL)).get().extracting(p -> p.top1()).isEqualTo(2);
    }

    @Test
    void mapsAreKeptPerClassModelAndImage() {
        cache.put(IMAGE.id(), MODEL, query(1, BOTH, MethodSettings.DEFAULTS), explanation(1, 0.5f, Method.SALIENCY));
        assertThat(cache.lookup(IMAGE.id(), MODEL, query(1, EnumSet.of(Method.SALIENCY), MethodSettings.DEFAULTS))
                .whole()).isTrue();
        assertThat(cache.lookup(IMAGE.id(), MODEL, query(0, EnumSet.of(Method.SALIENCY), MethodSettings.DEFAULTS))
                .found()).isEmpty();
        assertThat(cache.lookup(IMAGE.id(), "other.pt#def",
                query(1, EnumSet.of(Method.SALIENCY), MethodSettings.DEFAULTS)).found()).isEmpty();
        assertThat(cache.lookup("/elsewhere/dog.png", MODEL,
                query(1, EnumSet.of(Method.SALIENCY), MethodSettings.DEFAULTS)).found()).isEmpty();
    }

    @Test
    void aMethodsOwnSettingsAreOtherMapsButOtherMethodsSettingsAreNot() {
        MethodSettings sigma = MethodSettings.DEFAULTS.withSmoothGrad(new MethodSettings.SmoothGrad(0.3, 25, 0, false));
        cache.put(IMAGE.id(), MODEL, query(1, BOTH, MethodSettings.DEFAULTS),
                explanation(1, 0.5f, Method.SALIENCY, Method.SMOOTHGRAD));
        var hit = cache.lookup(IMAGE.id(), MODEL, query(1, BOTH, sigma));
        assertThat(hit.found()).containsOnlyKeys(Method.SALIENCY);
        assertThat(hit.missing()).containsExactly(Method.SMOOTHGRAD);
    }

    @Test
    void theLayerMattersOnlyToLayerMethods() {
        var saliency = ExplanationCache.MapKey.of("i", "m", 1, "layer4", Method.SALIENCY, MethodSettings.DEFAULTS);
        var gradcam = ExplanationCache.MapKey.of("i", "m", 1, "layer4", Method.GRADCAM, MethodSettings.DEFAULTS);
        assertThat(saliency.layer()).isNull();
        assertThat(saliency).isEqualTo(
                ExplanationCache.MapKey.of("i", "m", 1, "layer3", Method.SALIENCY, MethodSettings.DEFAULTS));
        assertThat(gradcam.layer()).isEqualTo("layer4");
        assertThat(gradcam).isNotEqualTo(
                ExplanationCache.MapKey.of("i", "m", 1, "layer3", Method.GRADCAM, MethodSettings.DEFAULTS));
    }

    @Test
    void mapsWeighTheirFloatsAsDoublesPlusAnOverhead() {
        // A 2x2 map without a layer map: 4 values * 8 + 256.
        assertThat(ExplanationCache.weight(CacheFixtures.result(Method.SALIENCY, 1f))).isEqualTo(288);
    }

    @Test
    void theOldestMapGoesWhenTheBytesRunOut() {
        ExplanationCache small = new ExplanationCache(2 * 288);
        for (int cls = 0; cls < 3; cls++) {
            small.put(IMAGE.id(), MODEL, query(cls, EnumSet.of(Method.SALIENCY), MethodSettings.DEFAULTS),
                    explanation(cls, cls, Method.SALIENCY));
        }
        assertThat(small.maps()).isEqualTo(2);
        assertThat(small.lookup(IMAGE.id(), MODEL, query(0, EnumSet.of(Method.SALIENCY), MethodSettings.DEFAULTS))
                .found()).isEmpty();
        assertThat(small.lookup(IMAGE.id(), MODEL, query(2, EnumSet.of(Method.SALIENCY), MethodSettings.DEFAULTS))
                .found()).containsOnlyKeys(Method.SALIENCY);
    }
}
