package io.saliencystudio.app.service;

import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maps are cached per method settings; multi-pass methods arrive after the single-pass ones, one call each. */
class MethodSettingsCacheTest extends ServiceFixture {

    @TempDir
    Path tmp;

    private static final MethodSettings SIGMA_03 = MethodSettings.DEFAULTS.withSmoothGrad(
            new MethodSettings.SmoothGrad(0.3, 25, 0, false));

    @Test
    void settingsOfOtherMethodsDoNotInvalidateAMap() throws Exception {
        ImageSource image = ImageSource.of(AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 1).get(0));
        List<ExplainOutcome> shown = new CopyOnWriteArrayList<>();
        onFx(() -> service.explain(new ExplainQuery(image, model, null, null, Method.core(),
                MethodSettings.DEFAULTS), shown::add, e -> { }));
        waitUntil("answer", 30, () -> shown.size() == 1);
        onFx(() -> service.explain(new ExplainQuery(image, model, null, null, Method.core(), SIGMA_03), shown::add,
                e -> { }));
        waitUntil("second answer", 10, () -> shown.size() == 2);
        assertThat(shown.get(1).fromCache()).isTrue();
        assertThat(backend.explainCalls.get()).isEqualTo(1);
    }

    @Test
    void aMultiPassMethodIsCachedPerItsOwnSettingsAndArrivesAfterTheCheapMaps() throws Exception {
        backend.fakeMultiPassSteps = 3;
        ImageSource image = ImageSource.of(AppTestKit.copySamples(AppTestKit.defaultModel(), tmp, 1).get(0));
        List<ExplainOutcome> shown = new CopyOnWriteArrayList<>();
        List<MethodProgress> progress = new CopyOnWriteArrayList<>();
        EnumSet<Method> methods = EnumSet.of(Method.SALIENCY, Method.SMOOTHGRAD);
        onFx(() -> service.explain(new ExplainQuery(image, model, null, null, methods, MethodSettings.DEFAULTS),
                shown::add, e -> { }, progress::add));
        waitUntil("complete answer", 30, () -> !shown.isEmpty() && shown.get(shown.size() - 1).complete());
        // First the saliency map with SmoothGrad pending, then both; two engine calls, the second SmoothGrad alone.
        assertThat(shown).hasSize(2);
        assertThat(shown.get(0).pending()).containsExactly(Method.SMOOTHGRAD);
        assertThat(shown.get(0).results()).containsOnlyKeys(Method.SALIENCY);
        assertThat(shown.get(1).results()).containsOnlyKeys(Method.SALIENCY, Method.SMOOTHGRAD);
        assertThat(backend.requests.get(1).methods()).containsExactly(Method.SMOOTHGRAD);
        assertThat(progress).isNotEmpty().allSatisfy(p -> assertThat(p.methods()).containsExactly(Method.SMOOTHGRAD));
        // Another sigma: only SmoothGrad again; the saliency map comes from the cache at once.
        onFx(() -> service.explain(new ExplainQuery(image, model, null, null, methods, SIGMA_03), shown::add,
                e -> { }));
        waitUntil("recomputed", 30, () -> shown.size() >= 4 && shown.get(shown.size() - 1).complete());
        assertThat(shown.get(2).pending()).containsExactly(Method.SMOOTHGRAD);
        assertThat(shown.get(2).map(Method.SALIENCY)).isSameAs(shown.get(1).map(Method.SALIENCY));
        assertThat(backend.requests).hasSize(3);
        assertThat(backend.requests.get(2).settings().smoothGrad().sigma()).isEqualTo(0.3);
        // Back to the defaults: all cached.
        int before = shown.size();
        onFx(() -> service.explain(new ExplainQuery(image, model, null, null, methods, MethodSettings.DEFAULTS),
                shown::add, e -> { }));
        waitUntil("cached", 10, () -> shown.size() == before + 1);
        assertThat(shown.get(before).fromCache()).isTrue();
        assertThat(shown.get(before).map(Method.SMOOTHGRAD)).isSameAs(shown.get(1).map(Method.SMOOTHGRAD));
        assertThat(backend.requests).hasSize(3);
    }
}
