package io.saliencystudio.app.service;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.engine.explain.Prediction;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-image job: progress as it goes, and cancel stops it between images. */
class PredictionQueueTest extends ServiceFixture {

    @TempDir
    Path tmp;

    private final Map<String, Prediction> predicted = new ConcurrentHashMap<>();

    private void listen() {
        service.predictions().setListener(new PredictionQueue.Listener() {
            @Override
            public void predicted(ImageSource image, Prediction prediction) {
                predicted.put(image.id(), prediction);
            }

            @Override
            public void failed(ImageSource image, Throwable error) {}
        });
    }

    @Test
    void predictsEveryImageWithProgress() throws Exception {
        List<ImageSource> images = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 8).stream().map(ImageSource::of).toList();
        listen();
        onFx(() -> service.predictions().submit(model, images));
        assertThat(onFx(() -> service.predictions().runningProperty().get())).isTrue();
        waitUntil("all predicted", 60, () -> !service.predictions().runningProperty().get());
        assertThat(predicted).hasSize(8);
        assertThat(backend.predictCalls.get()).isEqualTo(8);
        assertThat(onFx(() -> service.predictions().progressProperty().get())).isZero();
    }

    @Test
    void cancelStopsARunningMultiImageJob() throws Exception {
        List<ImageSource> images = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 30).stream().map(ImageSource::of).toList();
        listen();
        backend.predictDelayMillis = 100;
        onFx(() -> service.predictions().submit(model, images));
        waitUntil("three done", 30, () -> service.predictions().completedProperty().get() >= 3);
        double progress = onFx(() -> service.predictions().progressProperty().get());
        assertThat(progress).isGreaterThan(0).isLessThan(1);
        assertThat(onFx(() -> service.predictions().messageProperty().get())).matches("Predicting \\d+ of 30");

        onFx(() -> service.predictions().cancel());
        int callsAtCancel = backend.predictCalls.get();
        Thread.sleep(600);
        settle();
        assertThat(onFx(() -> service.predictions().runningProperty().get())).isFalse();
        assertThat(onFx(() -> service.predictions().pendingCount())).isZero();
        // At most the image in flight at the time finished on the engine; nothing after it started.
        assertThat(backend.predictCalls.get()).isLessThanOrEqualTo(callsAtCancel + 1).isLessThan(10);
        assertThat(predicted.size()).isLessThan(10);
        int after = predicted.size();
        Thread.sleep(300);
        assertThat(predicted).hasSize(after);
    }
}
