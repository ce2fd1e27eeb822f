package io.saliencystudio.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Method;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestSchedulerTest {

    private final RequestScheduler<String> scheduler = new RequestScheduler<>();

    @Test
    void eachRequestTakesTheNextGenerationAndOnlyTheNewestIsCurrent() {
        var a = scheduler.issue("a");
        var b = scheduler.issue("b");
        assertThat(a.generation()).isEqualTo(1);
        assertThat(b.generation()).isEqualTo(2);
        assertThat(scheduler.current()).isEqualTo(2);
        assertThat(scheduler.isCurrent(a)).isFalse();
        assertThat(scheduler.isCurrent(b)).isTrue();
        assertThat(b.request()).isEqualTo("b");
    }

    @Test
    void theFirstRunsAtOnceAndOnlyTheNewestOfThoseWaitingRunsNext() {
        var a = scheduler.issue("a");
        assertThat(scheduler.offer(a)).isTrue();
        assertThat(scheduler.offer(scheduler.issue("b"))).isFalse();
        var c = scheduler.issue("c");
        assertThat(scheduler.offer(c)).isFalse();
        assertThat(scheduler.finished()).isSameAs(c); // b was replaced
        assertThat(scheduler.finished()).isNull();
        assertThat(scheduler.offer(scheduler.issue("d"))).isTrue(); // nothing runs any more
    }

    @Test
    void anAnswerFromTheCacheDropsTheRequestWaiting() {
        scheduler.offer(scheduler.issue("a"));
        scheduler.offer(scheduler.issue("b"));
        scheduler.issue("c");
        scheduler.answered();
        assertThat(scheduler.finished()).isNull();
    }

    @Test
    void cancelMakesEverythingStaleDropsTheWaitingAndStopsEveryMethodOfTheRunning() {
        var a = scheduler.issue("a");
        scheduler.offer(a);
        var b = scheduler.issue("b");
        scheduler.offer(b);
        scheduler.cancel();
        assertThat(scheduler.isCurrent(b)).isFalse();
        assertThat(scheduler.current()).isEqualTo(3);
        assertThat(a.cancelled(Set.of(Method.SALIENCY))).isTrue();
        assertThat(a.cancelled(Set.of(Method.OCCLUSION))).isTrue();
        assertThat(b.cancelled(Set.of(Method.SALIENCY))).isFalse();
        assertThat(scheduler.finished()).isNull();
    }

    @Test
    void cancellingOneMethodReachesOnlyTheCurrentRequest() {
        var a = scheduler.issue("a");
        scheduler.offer(a);
        var b = scheduler.issue("b");
        scheduler.offer(b);
        scheduler.cancelMethod(Method.SCORECAM);
        assertThat(b.cancelled(Set.of(Method.SCORECAM))).isTrue();
        assertThat(b.cancelled(Set.of(Method.SCORECAM, Method.SALIENCY))).isTrue();
        assertThat(b.cancelled(Set.of(Method.SALIENCY))).isFalse();
        assertThat(a.cancelled(Set.of(Method.SCORECAM))).isFalse(); // superseded: not current
    }
}
