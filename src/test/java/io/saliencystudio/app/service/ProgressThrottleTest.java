package io.saliencystudio.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressThrottleTest {

    private static final long MS = 1_000_000L;

    @Test
    void passesOneReportPerIntervalAndAlwaysTheLast() {
        ProgressThrottle throttle = new ProgressThrottle(50 * MS);
        assertThat(throttle.pass(1, 10, 100 * MS)).isTrue();
        assertThat(throttle.pass(2, 10, 120 * MS)).isFalse();
        assertThat(throttle.pass(3, 10, 149 * MS)).isFalse();
        assertThat(throttle.pass(4, 10, 150 * MS)).isTrue();
        assertThat(throttle.pass(10, 10, 151 * MS)).isTrue(); // done: always shown
    }

    @Test
    void theFirstReportPassesWhenTheClockIsPastOneInterval() {
        assertThat(new ProgressThrottle(50 * MS).pass(0, 10, 49 * MS)).isFalse();
        assertThat(new ProgressThrottle(50 * MS).pass(0, 10, 50 * MS)).isTrue();
    }
}
