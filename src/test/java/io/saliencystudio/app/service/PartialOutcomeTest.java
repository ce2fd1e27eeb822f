package io.saliencystudio.app.service;

import static io.saliencystudio.app.service.CacheFixtures.IMAGE;
import static io.saliencystudio.app.service.CacheFixtures.MODEL;
import static io.saliencystudio.app.service.CacheFixtures.explanation;
import static io.saliencystudio.app.service.CacheFixtures.prepared;
import static io.saliencystudio.app.service.CacheFixtures.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class PartialOutcomeTest {

    @Test
    void singlePassMethodsShareOneCallAndEachMultiPassMethodHasItsOwn() {
        List<Set<Method>> calls = PartialOutcome.engineCalls(EnumSet.of(Method.OCCLUSION, Method.SALIENCY,
                Method.GRADCAM, Method.SMOOTHGRAD));
        assertThat(calls).containsExactly(EnumSet.of(Method.SALIENCY, Method.GRADCAM), EnumSet.of(Method.SMOOTHGRAD),
                EnumSet.of(Method.OCCLUSION));
        assertThat(PartialOutcome.engineCalls(EnumSet.of(Method.SCORECAM))).containsExactly(EnumSet.of(Method.SCORECAM));
        assertThat(PartialOutcome.engineCalls(EnumSet.noneOf(Method.class))).isEmpty();
    }

    @Test
    void growsCallByCallAndNamesWhatFailedAndWhatIsPending() {
        var q = query(null, EnumSet.of(Method.SALIENCY, Method.SMOOTHGRAD, Method.OCCLUSION), MethodSettings.DEFAULTS);
        ExplanationCache empty = new ExplanationCache(1 << 20);
        PartialOutcome partial = new PartialOutcome(q, prepared(), empty.lookup(IMAGE.id(), MODEL, q));
        assertThat(partial.showable()).isFalse();
        assertThat(partial.classIndex()).isNull();

        partial.add(explanation(2, 0.25f, Method.SALIENCY));
        partial.addEngineTime(12.5);
        assertThat(partial.showable()).isTrue();
        assertThat(partial.classIndex()).isEqualTo(2);
        ExplainOutcome first = partial.outcome(EnumSet.of(Method.SMOOTHGRAD, Method.OCCLUSION));
        assertThat(first.results()).containsOnlyKeys(Method.SALIENCY);
        assertThat(first.pending()).containsExactlyInAnyOrder(Method.SMOOTHGRAD, Method.OCCLUSION);
        assertThat(first.target().index()).isEqualTo(2);
        assertThat(first.computeMillis()).isEqualTo(12.5);
        assertThat(first.fromCache()).isFalse();
        assertThat(first.sourceWidth()).isEqualTo(40);
        assertThat(first.sourceHeight()).isEqualTo(30);

        partial.fail(EnumSet.of(Method.SMOOTHGRAD), new CompletionException(new UncheckedIOException(
                new IOException("disk full"))), false);
        partial.fail(EnumSet.of(Method.OCCLUSION), new Superseded(), true);
        partial.addEngineTime(7.5);
        ExplainOutcome done = partial.outcome(Set.of());
        assertThat(done.complete()).isTrue();
        assertThat(done.failures()).containsEntry(Method.SMOOTHGRAD, "disk full")
                .containsEntry(Method.OCCLUSION, PartialOutcome.CANCELLED);
        assertThat(done.computeMillis()).isEqualTo(20.0);
    }

    @Test
    void startsFromTheCachedMapsAndAnswersWholeFromTheCache() {
        ExplanationCache cache = new ExplanationCache(1 << 20);
        var q = query(1, EnumSet.of(Method.SALIENCY), MethodSettings.DEFAULTS);
        cache.put(IMAGE.id(), MODEL, q, explanation(1, 0.75f, Method.SALIENCY));
        var hit = cache.lookup(IMAGE.id(), MODEL, q);
        ExplainOutcome cached = PartialOutcome.fromCache(q, prepared(), hit);
        assertThat(cached.fromCache()).isTrue();
        assertThat(cached.computeMillis()).isZero();
        assertThat(cached.map(Method.SALIENCY).values()[0]).isEqualTo(0.75f);
        assertThat(cached.target().index()).isEqualTo(1);

        var more = query(1, EnumSet.of(Method.SALIENCY, Method.SMOOTHGRAD), MethodSettings.DEFAULTS);
        PartialOutcome partial = new PartialOutcome(more, prepared(), cache.lookup(IMAGE.id(), MODEL, more));
        assertThat(partial.hasResults()).isTrue();
        assertThat(partial.showable()).isTrue();
        assertThat(partial.outcome(EnumSet.of(Method.SMOOTHGRAD)).results()).containsOnlyKeys(Method.SALIENCY);
    }
}
