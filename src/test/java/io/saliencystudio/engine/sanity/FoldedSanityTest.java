package io.saliencystudio.engine.sanity;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One network exported with its BatchNorms folded and without (src/test/python/make_sanity_fold_models.py): the
 * cascade randomises the unfolded network's parameters on both (models/FORMAT.md, provenance.batchNormFolds), with
 * the same draws, so both randomised copies are one function and every step's maps and Spearman agree to float32
 * rounding. Without that the folded cascade has other groups (no BatchNorm parameters) and other random networks.
 */
class FoldedSanityTest {

    static final Path DIR = Path.of("src", "test", "resources", "sanity-fold");
    static final Set<Method> METHODS = EnumSet.of(Method.SALIENCY, Method.GRADCAM);
    /**
     * Largest Spearman difference allowed between the two exports at any step. The randomised networks are the same
     * function up to float32 rounding (the folded one multiplies W * scale, the plain one applies the BatchNorm after
     * the convolution; measured logits agree to ~1e-6 relative), so maps differ by ~1e-6 and only pixels whose values
     * tie within that can swap ranks: measured differences are below 1e-5. Independent draws would differ by ~0.1.
     */
    static final double SPEARMAN_TOLERANCE = 1e-4;

    @Test
    void foldedAndUnfoldedExportsGiveTheSameCascade() throws Exception {
        ExplanationEngine engine = TestModels.engine();
        ModelPackage folded = TestModels.load(DIR.resolve("folded")).modelPackage();
        ModelPackage plain = TestModels.load(DIR.resolve("plain")).modelPackage();
        assertThat(folded.manifest().provenance().get("batchNormsFolded")).isEqualTo(6);
        assertThat(plain.manifest().provenance().get("batchNormsFolded")).isEqualTo(0);
        ModelInput star = input(folded);
        // stage.0.conv1 is a folded convolution's own output, which the graph recovers from the BatchNorm's values
        for (String layer : List.of("stage.0.conv1", "head")) {
            SanityReport a = CascadingRandomization.run(engine, folded, star, null, METHODS, layer, MethodSettings.DEFAULTS,
                    7, null).get(2, TimeUnit.MINUTES);
            SanityReport b = CascadingRandomization.run(engine, plain, star, null, METHODS, layer, MethodSettings.DEFAULTS,
                    7, null).get(2, TimeUnit.MINUTES);
            assertThat(a.groups()).containsExactly("fc", "head", "stage.1", "stage.0", "stem");
            assertThat(b.groups()).isEqualTo(a.groups());
            assertThat(a.target().index()).isEqualTo(b.target().index());
            for (int i = 0; i < a.steps().size(); i++) {
                for (Method m : METHODS) {
                    double sa = a.steps().get(i).spearman().get(m);
                    double sb = b.steps().get(i).spearman().get(m);
                    System.out.printf("fold sanity %s step %d %s: spearman folded %.7f plain %.7f, max |map diff| %.3g%n",
                            layer, i, m, sa, sb, maxDiff(a.steps().get(i), b.steps().get(i), m));
                    assertThat(sa).as("%s step %d %s", layer, i, m).isCloseTo(sb, org.assertj.core.data.Offset.offset(
                            SPEARMAN_TOLERANCE));
                    assertThat(maxDiff(a.steps().get(i), b.steps().get(i), m)).as("%s step %d %s map", layer, i, m)
                            .isLessThan(1e-4);
                }
            }
            // what independent draws would give: the plain export with the next seed differs far beyond the tolerance
            SanityReport c = CascadingRandomization.run(engine, plain, star, null, METHODS, layer, MethodSettings.DEFAULTS,
                    8, null).get(2, TimeUnit.MINUTES);
            double other = 0;
            for (int i = 1; i < b.steps().size(); i++) {
                for (Method m : METHODS) {
                    other = Math.max(other, Math.abs(b.steps().get(i).spearman().get(m) - c.steps().get(i).spearman().get(m)));
                }
            }
            System.out.printf("fold sanity %s: largest Spearman difference, seed 7 vs seed 8 (plain): %.3g%n", layer, other);
            assertThat(other).isGreaterThan(100 * SPEARMAN_TOLERANCE);
            // the randomisation does change the maps (else agreeing would prove nothing)
            assertThat(a.last().spearman().get(Method.GRADCAM)).isLessThan(0.9);
            assertThat(a.last().spearman().get(Method.SALIENCY)).isLessThan(0.9);
        }
    }

    @Test
    void fullyRandomisedCopiesComputeTheSameLogits() {
        ExplanationEngine engine = TestModels.engine();
        ModelPackage folded = TestModels.load(DIR.resolve("folded")).modelPackage();
        ModelPackage plain = TestModels.load(DIR.resolve("plain")).modelPackage();
        ModelInput star = input(folded);
        LoadedModel a = engine.load(folded).join();
        LoadedModel b = engine.load(plain).join();
        try {
            List<String> namesA = engine.withNetwork(a, 1, n -> a.parameterNames()).join();
            List<String> namesB = engine.withNetwork(b, 1, n -> b.parameterNames()).join();
            assertThat(namesA).as("the folded export shows the unfolded network's parameters").isEqualTo(namesB);
            float[] before = engine.predict(a, List.of(star)).join().get(0).logits();
            // as the cascade does: the top first (here stage.1 with its BatchNorms, the head kept), then everything
            Predicate<String> stage1 = n -> n.contains(".stage.1.");
            assertThat(engine.randomizeWeights(a, 3, stage1).join()).isEqualTo(engine.randomizeWeights(b, 3, stage1).join());
            double[] partly = compare(engine, a, b, star, before);
            engine.randomizeWeights(a, 4, n -> true).join();
            engine.randomizeWeights(b, 4, n -> true).join();
            double[] fully = compare(engine, a, b, star, before);
            for (double[] d : List.of(partly, fully)) {
                assertThat(d[2]).as("randomised").isGreaterThan(0.02 * d[1]);
                assertThat(d[0]).isLessThan(1e-5 * Math.max(1, d[1]));
            }
        } finally {
            engine.unload(a).join();
            engine.unload(b).join();
        }
    }

    /** max |logits a - logits b|, max |logits b|, max |logits a - before|. */
    private static double[] compare(ExplanationEngine engine, LoadedModel a, LoadedModel b, ModelInput x, float[] before) {
        float[] la = engine.predict(a, List.of(x)).join().get(0).logits();
        float[] lb = engine.predict(b, List.of(x)).join().get(0).logits();
        double[] d = new double[3];
        for (int i = 0; i < la.length; i++) {
            d[0] = Math.max(d[0], Math.abs(la[i] - lb[i]));
            d[1] = Math.max(d[1], Math.abs(lb[i]));
            d[2] = Math.max(d[2], Math.abs(la[i] - before[i]));
        }
        System.out.printf("fold sanity logits: max |folded - plain| %.3g of max |logit| %.3g (moved %.3g)%n", d[0], d[1], d[2]);
        return d;
    }

    private static ModelInput input(ModelPackage pkg) {
        try {
            return new Preprocessor(pkg.manifest().input(), pkg.manifest().preprocessing())
                    .apply(new ImageLoader().load(TestModels.SAMPLES.resolve("shapes/star-01.png")), "star-01.png");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double maxDiff(SanityStep a, SanityStep b, Method m) {
        float[] x = CascadingRandomization.comparable(a.maps().get(m));
        float[] y = CascadingRandomization.comparable(b.maps().get(m));
        double d = 0;
        for (int i = 0; i < x.length; i++) {
            d = Math.max(d, Math.abs(x[i] - y[i]));
        }
        return d;
    }
}
