package io.saliencystudio.app.explain;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.app.images.ImageItem;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.status.Notice;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * 200 rapid class, layer and image changes, in bursts and with short pauses (so some answers arrive mid-way, some
 * from the cache, some are superseded while computing): the screen ends on exactly the last request, its prediction
 * is the last image's own, nothing failed and nothing was thrown on the UI thread.
 */
class RapidChangesTest extends WindowTestBase {

    @Override
    protected void configure(TestBackend b) {
        b.explainDelayMillis = 15; // a little engine time, so requests overlap as on a slower model
    }

    @Test
    void twoHundredChangesEndOnTheLastRequestWithNoStaleResult() throws Exception {
        awaitFirstExplanation();
        List<Throwable> uncaught = new CopyOnWriteArrayList<>();
        Thread fxThread = onFx(Thread::currentThread);
        Thread.UncaughtExceptionHandler previous = fxThread.getUncaughtExceptionHandler();
        fxThread.setUncaughtExceptionHandler((t, e) -> uncaught.add(e));
        List<ExplainOutcome> outcomes = new CopyOnWriteArrayList<>();
        onFx(() -> ctx.explain().outcomeProperty().addListener((o, was, now) -> {
            if (now != null) {
                outcomes.add(now);
            }
        }));
        int noticesBefore = onFx(() -> ctx.notices().history().size());
        Random random = new Random(7);
        int images = onFx(() -> ctx.images().items().size());
        List<LayerTap> taps = onFx(() -> List.copyOf(ctx.explain().layers()));
        int classes = onFx(() -> ctx.explain().modelProperty().get().numClasses());
        assertThat(images).isGreaterThan(5);
        assertThat(taps).hasSizeGreaterThan(3);
        try {
            for (int burst = 0; burst < 20; burst++) {
                int start = burst;
                onFx(() -> {
                    for (int i = 0; i < 10; i++) {
                        switch (random.nextInt(3)) {
                            case 0 -> ctx.images().selectedProperty().set(ctx.images().items().get(random.nextInt(images)));
                            case 1 -> ctx.explain().selectClass(random.nextInt(classes));
                            default -> ctx.explain().selectLayer(taps.get(random.nextInt(taps.size())));
                        }
                    }
                });
                Thread.sleep(start % 4 == 0 ? 250 : 5); // now and then long enough for an answer to arrive
            }
            waitUntil("settled", 60, () -> !ctx.explain().busyProperty().get());
            Thread.sleep(300); // anything still in flight must not replace the last answer
            settle();
        } finally {
            fxThread.setUncaughtExceptionHandler(previous);
        }

        assertThat(uncaught).isEmpty();
        assertThat(onFx(() -> ctx.notices().history().size())).as("no error notices").isEqualTo(noticesBefore);
        assertThat(onFx(() -> ctx.explain().problemProperty().get())).isNull();
        ImageItem last = onFx(() -> ctx.images().selected());
        Integer lastClass = onFx(() -> ctx.explain().requestedClassProperty().get());
        LayerTap lastLayer = onFx(() -> ctx.explain().layer());
        ExplainOutcome shown = onFx(() -> ctx.explain().outcome());
        assertThat(shown.query().image()).isEqualTo(last.source());
        assertThat(shown.query().classIndex()).isEqualTo(lastClass);
        if (lastClass != null) {
            assertThat(shown.target().index()).isEqualTo(lastClass);
        }
        assertThat(shown.result(Method.GRADCAM).layer()).isEqualTo(lastLayer.displayName());
        assertThat(outcomes.get(outcomes.size() - 1)).isSameAs(shown);
        // Not a stale prediction of another image: the same logits the engine gives for this image now.
        LoadedModel model = onFx(() -> ctx.models().loaded());
        var input = new Preprocessor(model.manifest().input(), model.manifest().preprocessing())
                .apply(new ImageLoader().load(last.source().path()), "check");
        Prediction fresh = TestBackend.engine().predict(model, List.of(input)).join().get(0);
        assertThat(shown.prediction().logits()).containsExactly(fresh.logits(),
                org.assertj.core.data.Offset.offset(1e-3f));
        assertThat(onFx(() -> ctx.explain().topClasses().get(0).index())).isEqualTo(fresh.top1());
        System.out.printf("200 changes: %d answers shown, %d engine calls, %d requests skipped%n", outcomes.size(),
                backend.explainCalls.get(), backend.skipped.get());
        assertThat(onFx(() -> ctx.notices().history().stream().map(Notice::message).toList()))
                .noneMatch(m -> m.contains("Exception"));
    }
}
