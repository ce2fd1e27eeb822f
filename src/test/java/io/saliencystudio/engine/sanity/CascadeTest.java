package io.saliencystudio.engine.sanity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The cascade's bookkeeping against a fake model: what is randomised when, which class is explained, how maps are
 * compared and flagged, and that the copy is released on success, failure and cancel.
 */
class CascadeTest {

    static final int W = 16;
    static final int H = 16;

    /**
     * A fake model with the shapes model's groups. Saliency's fake map is a ramp that is replaced by an unrelated
     * pattern once fc is randomised (a method that depends on the model); Grad-CAM's fake map ignores the model
     * entirely (an edge detector, which the check must flag); Input x Gradient's is signed and only flips its sign.
     */
    static class FakeModel implements CascadeSubject {
        final Set<String> randomized = new HashSet<>();
        final List<Integer> targets = new ArrayList<>();
        final List<Long> seeds = new ArrayList<>();
        final List<List<String>> batches = new ArrayList<>();
        int closed;
        int failAtStep = -1;

        @Override
        public List<String> parameterNames() {
            return LayerGroupsTest.SHAPES;
        }

        @Override
        public Explanation explain(Integer target, Progress progress) {
            if (targets.size() == failAtStep) {
                throw new IllegalStateException("native failure");
            }
            targets.add(target);
            progress.advance(0, 1, "fake");
            float[] logits = {0.5f, 3f, 1f};
            if (!randomized.isEmpty()) {
                logits = new float[] {4f, 0f, 1f}; // the random model prefers class 0
            }
            Prediction p = Prediction.fromLogits(logits, i -> "class" + i);
            int t = target == null ? p.top1() : target;
            Map<Method, MethodResult> results = new EnumMap<>(Method.class);
            boolean fcGone = randomized.stream().anyMatch(n -> n.startsWith("net.fc."));
            results.put(Method.SALIENCY, result(Method.SALIENCY, MapMath.saliency(fcGone ? scrambled() : ramp(), W, H)));
            results.put(Method.GRADCAM, result(Method.GRADCAM, MapMath.gradCam(ramp(), W, H)));
            float[] signed = ramp();
            for (int i = 0; i < signed.length; i++) {
                signed[i] = (i % 2 == 0 ? 1 : -1) * (signed[i] - 0.3f) * (randomized.isEmpty() ? 1 : -2);
            }
            results.put(Method.INPUT_X_GRADIENT, result(Method.INPUT_X_GRADIENT, MapMath.signed(signed, W, H)));
            return new Explanation("fake.png", p, p.score(t), results);
        }

        @Override
        public void randomize(long seed, Predicate<String> which) {
            seeds.add(seed);
            List<String> batch = parameterNames().stream().filter(which).toList();
            batches.add(batch);
            randomized.addAll(batch);
        }

        @Override
        public void close() {
            closed++;
        }
    }

    static MethodResult result(Method m, Heatmap map) {
        return new MethodResult(m, map, null, null, 1.0);
    }

    static float[] ramp() {
        float[] v = new float[W * H];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i % W) + (i / W) * 0.5f;
        }
        return v;
    }

    static float[] scrambled() {
        float[] v = new float[W * H];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i * 97 + 13) % 251;
        }
        return v;
    }

    static final Set<Method> METHODS = EnumSet.of(Method.SALIENCY, Method.GRADCAM, Method.INPUT_X_GRADIENT);

    @Test
    void randomisesCumulativelyFromTheTopWithTheOriginalClassFixed() {
        FakeModel model = new FakeModel();
        List<String> reports = new ArrayList<>();
        SanityReport report = CascadingRandomization.cascade(model, METHODS, null, "layer4", 40, 0.5,
                (done, total, what) -> reports.add(done + "/" + total + " " + what));
        assertThat(report.groups()).containsExactly("fc", "layer4", "layer3", "layer2", "layer1", "bn1", "conv1");
        assertThat(report.steps()).hasSize(8);
        assertThat(report.steps().get(0).randomized()).isEmpty();
        assertThat(report.steps().get(2).randomized()).containsExactly("fc", "layer4");
        assertThat(report.last().randomized()).containsExactlyElementsOf(report.groups());
        assertThat(model.batches.get(0)).containsExactly("net.fc.weight", "net.fc.bias");
        assertThat(model.randomized).containsExactlyInAnyOrderElementsOf(LayerGroupsTest.SHAPES);
        assertThat(model.seeds).containsExactly(41L, 42L, 43L, 44L, 45L, 46L, 47L);
        // the original top-1 (class 1) is explained at every step, although the random model prefers class 0
        assertThat(model.targets.get(0)).isNull();
        assertThat(model.targets.subList(1, 8)).containsOnly(1);
        assertThat(report.target().index()).isEqualTo(1);
        assertThat(report.target().label()).isEqualTo("class1");
        assertThat(report.seed()).isEqualTo(40);
        assertThat(report.layer()).isEqualTo("layer4");
        assertThat(reports).contains("0/8 original model", "1/8 randomising fc", "1/8 randomising fc: fake",
                "7/8 randomising conv1", "8/8 done");
        assertThat(model.closed).as("the cascade does not close what its caller opened").isZero();
    }

    @Test
    void comparesWithTheOriginalAndFlagsAMethodThatIgnoresTheModel() {
        SanityReport report = CascadingRandomization.cascade(new FakeModel(), METHODS, null, null, 0, 0.5,
                Progress.NONE);
        SanityStep first = report.steps().get(0);
        for (Method m : METHODS) {
            assertThat(first.spearman().get(m)).isEqualTo(1.0);
            assertThat(first.ssim().get(m)).isCloseTo(1.0, within(1e-12));
        }
        float[] ramp = CascadingRandomization.comparable(MapMath.saliency(ramp(), W, H));
        float[] scrambled = CascadingRandomization.comparable(MapMath.saliency(scrambled(), W, H));
        double expected = Spearman.of(ramp, scrambled);
        assertThat(Math.abs(expected)).isLessThan(0.3);
        assertThat(report.last().spearman().get(Method.SALIENCY)).isCloseTo(expected, within(1e-12));
        assertThat(report.last().ssim().get(Method.SALIENCY)).isCloseTo(Ssim.of(ramp, scrambled, W, H), within(1e-12));
        assertThat(report.last().spearman().get(Method.GRADCAM)).isEqualTo(1.0);
        // signed maps are compared by magnitude: a sign flip and rescale is no change
        assertThat(report.last().spearman().get(Method.INPUT_X_GRADIENT)).isCloseTo(1.0, within(1e-12));
        assertThat(report.last().ssim().get(Method.INPUT_X_GRADIENT)).isCloseTo(1.0, within(1e-6));
        assertThat(report.flagged()).containsEntry(Method.SALIENCY, false).containsEntry(Method.GRADCAM, true)
                .containsEntry(Method.INPUT_X_GRADIENT, true);
        assertThat(report.anyFlagged()).isTrue();
        assertThat(report.threshold()).isEqualTo(0.5);
        assertThat(report.last().maps().get(Method.SALIENCY).width()).isEqualTo(W);
    }

    @Test
    void signedMapsAreComparedByTheirMagnitudeScaledToOne() {
        Heatmap signed = MapMath.signed(new float[] {-4, 2, 0, 1}, 2, 2);
        assertThat(CascadingRandomization.comparable(signed)).containsExactly(1f, 0.5f, 0f, 0.25f);
        Heatmap plain = MapMath.saliency(new float[] {3, 1, Float.NaN, 2}, 2, 2);
        assertThat(CascadingRandomization.comparable(plain)[2]).isEqualTo(0f);
    }

    @Test
    void blankMapsHaveADefinedCorrelation() {
        float[] blank = new float[9];
        float[] varying = {0, 1, 2, 3, 4, 5, 6, 7, 8};
        assertThat(CascadingRandomization.rankCorrelation(blank, blank)).isEqualTo(1.0);
        assertThat(CascadingRandomization.rankCorrelation(varying, blank)).isEqualTo(0.0);
    }

    @Test
    void aCancelBetweenStepsStopsTheCascade() {
        FakeModel model = new FakeModel();
        Progress cancelAfterTwo = new Progress() {
            @Override
            public void report(long done, long total, String what) { }

            @Override
            public boolean cancelled() {
                return model.batches.size() >= 2;
            }
        };
        assertThatThrownBy(() -> CascadingRandomization.cascade(model, METHODS, null, null, 0, 0.5, cancelAfterTwo))
                .isInstanceOf(CancellationException.class);
        assertThat(model.batches).hasSize(2);
    }

    @Test
    void aFailureInsideAStepPropagates() {
        FakeModel model = new FakeModel();
        model.failAtStep = 3;
        assertThatThrownBy(() -> CascadingRandomization.cascade(model, METHODS, 2, null, 0, 0.5, Progress.NONE))
                .hasMessage("native failure");
        assertThat(model.targets).containsExactly(2, 2, 2);
    }

    @Test
    void theThresholdDecidesTheFlag() {
        SanityReport strict = CascadingRandomization.cascade(new FakeModel(), METHODS, null, null, 0, -1.0,
                Progress.NONE);
        assertThat(strict.flagged()).containsOnly(Map.entry(Method.SALIENCY, true), Map.entry(Method.GRADCAM, true),
                Map.entry(Method.INPUT_X_GRADIENT, true));
    }

    @Test
    void theFirstContractsConstructorStillWorks() {
        SanityReport handBuilt = new SanityReport(List.of("fc"), List.of(), Map.of(Method.GRADCAM, false), 0.5);
        assertThat(handBuilt.target()).isNull();
        assertThat(handBuilt.anyFlagged()).isFalse();
        assertThat(handBuilt.seed()).isZero();
    }

    @Test
    void theCopyIsReleasedAfterSuccessFailureAndCancel() throws Exception {
        FakeModel ok = new FakeModel();
        SanityReport report = CascadingRandomization.inBackground(() -> ok, METHODS, null, 0, 0.5, Progress.NONE)
                .get(10, TimeUnit.SECONDS);
        assertThat(report.steps()).hasSize(8);
        assertThat(ok.closed).isEqualTo(1);

        FakeModel failing = new FakeModel();
        failing.failAtStep = 2;
        var failed = CascadingRandomization.inBackground(() -> failing, METHODS, null, 0, 0.5, Progress.NONE);
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasRootCauseMessage("native failure");
        assertThat(failing.closed).isEqualTo(1);

        FakeModel cancelled = new FakeModel();
        Progress cancelAtOnce = new Progress() {
            @Override
            public void report(long done, long total, String what) { }

            @Override
            public boolean cancelled() {
                return true;
            }
        };
        var stopped = CascadingRandomization.inBackground(() -> cancelled, METHODS, null, 0, 0.5, cancelAtOnce);
        assertThatThrownBy(() -> stopped.get(10, TimeUnit.SECONDS)).isInstanceOf(CancellationException.class);
        assertThat(stopped.isCancelled()).isTrue();
        assertThat(cancelled.closed).isEqualTo(1);
        assertThat(cancelled.batches).isEmpty();
    }

    @Test
    void cancellingTheFutureStopsAtTheNextStepAndReleasesTheCopy() throws Exception {
        CountDownLatch inStep = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        FakeModel model = new FakeModel() {
            @Override
            public void randomize(long seed, Predicate<String> which) {
                super.randomize(seed, which);
                inStep.countDown();
                await(proceed);
            }
        };
        var future = CascadingRandomization.inBackground(() -> model, METHODS, null, 0, 0.5, Progress.NONE);
        assertThat(inStep.await(10, TimeUnit.SECONDS)).isTrue();
        future.cancel(true);
        proceed.countDown();
        waitUntil(() -> model.closed == 1);
        assertThat(future.isCancelled()).isTrue();
        assertThat(model.batches).as("no group randomised after the cancel").hasSize(1);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }
}
