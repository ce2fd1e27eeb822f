package io.saliencystudio.app.service;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.engine.explain.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javafx.application.Platform;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UI thread keeps running while a (deliberately slow) explanation computes. */
@Tag("timing")
class ResponsivenessTest extends ServiceFixture {

    @TempDir
    Path tmp;

    @Test
    void uiThreadStaysResponsiveDuringASlowExplanation() throws Exception {
        List<Path> files = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 1);
        backend.explainDelayMillis = 1500;
        List<Object> shown = new CopyOnWriteArrayList<>();
        AtomicLong last = new AtomicLong(System.nanoTime());
        AtomicLong maxGap = new AtomicLong();
        AtomicLong pings = new AtomicLong();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        // Posts a UI-thread task every 10 ms; each one measures the time since the previous one ran.
        ticker.scheduleAtFixedRate(() -> Platform.runLater(() -> {
            long now = System.nanoTime();
            maxGap.accumulateAndGet(now - last.getAndSet(now), Math::max);
            pings.incrementAndGet();
        }), 0, 10, TimeUnit.MILLISECONDS);
        try {
            Thread.sleep(100);
            maxGap.set(0);
            long start = System.nanoTime();
            onFx(() -> service.explain(new ExplainQuery(ImageSource.of(files.get(0)), model, null, null,
                    Method.core()), shown::add, e -> shown.add(e)));
            waitUntil("result", 30, () -> !shown.isEmpty());
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(seconds).as("the explanation really was slow").isGreaterThan(1.4);
            assertThat(shown.get(0)).isInstanceOf(ExplainOutcome.class);
        } finally {
            ticker.shutdownNow();
        }
        double gapMs = maxGap.get() / 1e6;
        System.out.printf("UI thread: %d pings, longest gap %.1f ms during a 1.5 s explanation%n", pings.get(), gapMs);
        // A UI thread that waited for the 1.5 s explanation would show a gap of about that; a slow ping on a loaded
        // machine is no regression.
        assertThat(gapMs).as("longest UI-thread gap (ms)").isLessThan(1000);
        assertThat(pings.get()).isGreaterThan(50);
    }
}
