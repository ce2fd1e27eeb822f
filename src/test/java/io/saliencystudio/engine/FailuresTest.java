package io.saliencystudio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailuresTest {

    @Test
    void rootCauseStripsNestedFutureWrappersOnly() {
        IllegalStateException cause = new IllegalStateException("no taps");
        assertThat(Failures.rootCause(new CompletionException(new ExecutionException(cause)))).isSameAs(cause);
        UncheckedIOException io = new UncheckedIOException(new IOException("x"));
        assertThat(Failures.rootCause(new CompletionException(io))).isSameAs(io);
        assertThat(Failures.rootCause(cause)).isSameAs(cause);
        CompletionException empty = new CompletionException("alone", null);
        assertThat(Failures.rootCause(empty)).isSameAs(empty);
    }

    @Test
    void messageIsTheFirstSentencePastWrappersAndEmptyMessages() {
        assertThat(Failures.message(new CompletionException(new IllegalArgumentException("bad size"))))
                .isEqualTo("bad size");
        assertThat(Failures.message(new CompletionException(new UncheckedIOException(new IOException("disk full")))))
                .isEqualTo("disk full");
        assertThat(Failures.message(new RuntimeException(null, new IOException("denied")))).isEqualTo("denied");
        assertThat(Failures.message(new CompletionException(new NullPointerException())))
                .isEqualTo("NullPointerException");
        assertThat(Failures.message(new IllegalStateException(" "))).isEqualTo("IllegalStateException");
    }

    @Test
    void cancellationsAreRecognisedThroughWrappers() {
        assertThat(Failures.isCancellation(new CompletionException(new CancellationException()))).isTrue();
        assertThat(Failures.isCancellation(new CancellationException())).isTrue();
        assertThat(Failures.isCancellation(new CompletionException(new IOException("x")))).isFalse();
    }
}
