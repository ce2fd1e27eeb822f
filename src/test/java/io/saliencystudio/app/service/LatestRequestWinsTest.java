package io.saliencystudio.app.service;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.settle;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.model.LayerTap;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Superseded requests never reach the screen; waiting requests coalesce; running work still fills the cache. */
class LatestRequestWinsTest extends ServiceFixture {

    @TempDir
    Path tmp;

    private ExplainQuery query(ImageSource image, LayerTap tap, Integer cls) {
        return new ExplainQuery(image, model, cls, tap.displayName(), Method.core());
    }

    @Test
    void onlyTheLastOfRapidRequestsIsShown() throws Exception {
        List<Path> files = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 6);
        List<LayerTap> taps = model.manifest().taps();
        backend.explainDelayMillis = 150;
        List<ExplainOutcome> shown = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        // Six requests in a burst (different images and layers), as fast as a user holding a key.
        onFx(() -> {
            for (int i = 0; i < files.size(); i++) {
                service.explain(query(ImageSource.of(files.get(i)), taps.get(taps.size() - 1 - i), null),
                        shown::add, errors::add);
            }
        });
        waitUntil("an answer", 30, () -> !shown.isEmpty());
        Thread.sleep(400);
        settle();
        assertThat(errors).isEmpty();
        assertThat(shown).hasSize(1);
        ExplainOutcome last = shown.get(0);
        assertThat(last.query().image()).isEqualTo(ImageSource.of(files.get(5)));
        assertThat(last.result(Method.GRADCAM).layer()).isEqualTo(taps.get(taps.size() - 6).displayName());
        // The four in between were replaced while waiting and never computed; the first one is computed only if it
        // reached the engine before the burst ended.
        assertThat(backend.explainRequests.get()).isBetween(1, 2);
    }

    @Test
    void aSupersededRunningResultIsCachedButNotShown() throws Exception {
        List<Path> files = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 2);
        LayerTap tap = model.manifest().tap(model.manifest().defaultLayer()).orElseThrow();
        backend.explainDelayMillis = 300;
        List<ExplainOutcome> shown = new CopyOnWriteArrayList<>();
        ImageSource a = ImageSource.of(files.get(0));
        ImageSource b = ImageSource.of(files.get(1));
        onFx(() -> service.explain(query(a, tap, null), shown::add, e -> { }));
        waitUntil("first request with the engine", 10, () -> backend.explainCalls.get() == 1);
        onFx(() -> service.explain(query(b, tap, null), shown::add, e -> { }));
        waitUntil("second answer", 30, () -> shown.size() == 1);
        Thread.sleep(100);
        assertThat(shown).hasSize(1);
        assertThat(shown.get(0).query().image()).isEqualTo(b);
        // Going back to the first image costs nothing: its superseded result went to the cache.
        int calls = backend.explainCalls.get();
        onFx(() -> service.explain(query(a, tap, null), shown::add, e -> { }));
        waitUntil("cached answer", 10, () -> shown.size() == 2);
        assertThat(shown.get(1).fromCache()).isTrue();
        assertThat(backend.explainCalls.get()).isEqualTo(calls);
    }

    @Test
    void cancelStopsARunningExplanationFromReachingTheScreen() throws Exception {
        List<Path> files = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 2);
        LayerTap tap = model.manifest().tap(model.manifest().defaultLayer()).orElseThrow();
        backend.explainDelayMillis = 400;
        List<ExplainOutcome> shown = new CopyOnWriteArrayList<>();
        onFx(() -> service.explain(query(ImageSource.of(files.get(0)), tap, null), shown::add, e -> { }));
        waitUntil("running", 10, () -> backend.explainCalls.get() == 1);
        // A second request waits behind it; cancel drops both.
        onFx(() -> service.explain(query(ImageSource.of(files.get(1)), tap, null), shown::add, e -> { }));
        onFx(() -> service.cancel());
        Thread.sleep(900);
        settle();
        assertThat(shown).isEmpty();
        assertThat(backend.explainRequests.get()).as("the waiting request never reached the engine").isEqualTo(1);
    }

    @Test
    void identicalRequestIsAnsweredFromTheCache() throws Exception {
        List<Path> files = AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 1);
        LayerTap tap = model.manifest().tap(model.manifest().defaultLayer()).orElseThrow();
        List<ExplainOutcome> shown = new CopyOnWriteArrayList<>();
        ImageSource a = ImageSource.of(files.get(0));
        onFx(() -> service.explain(query(a, tap, null), shown::add, e -> { }));
        waitUntil("answer", 30, () -> shown.size() == 1);
        int top = shown.get(0).target().index();
        // Top class asked by index, and again as "the top class": both from the cache.
        onFx(() -> service.explain(query(a, tap, top), shown::add, e -> { }));
        onFx(() -> service.explain(query(a, tap, null), shown::add, e -> { }));
        waitUntil("answers", 10, () -> shown.size() == 3);
        assertThat(backend.explainCalls.get()).isEqualTo(1);
        assertThat(shown.get(2).map(Method.GRADCAM)).isSameAs(shown.get(0).map(Method.GRADCAM));
        assertThat(service.cachedMaps()).isEqualTo(2);
    }
}
