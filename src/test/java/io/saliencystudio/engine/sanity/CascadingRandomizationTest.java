package io.saliencystudio.engine.sanity;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The real cascade on the embedded shapes model, with saliency and Grad-CAM. */
class CascadingRandomizationTest {

    static final Set<Method> CORE = EnumSet.of(Method.SALIENCY, Method.GRADCAM);

    @Test
    void shapesModelFailsNeitherSaliencyNorGradCamAndTheUsersModelIsUntouched() throws Exception {
        ExplanationEngine engine = TestModels.engine();
        LoadedModel users = TestModels.load("shapes");
        ModelPackage pkg = users.modelPackage();
        ModelInput star = new Preprocessor(pkg.manifest().input(), pkg.manifest().preprocessing())
                .apply(new ImageLoader().load(TestModels.SAMPLES.resolve("shapes/star-01.png")), "star-01.png");
        float[] before = engine.predict(users, List.of(star)).join().get(0).logits();
        List<String> progress = new ArrayList<>();

        SanityReport report = CascadingRandomization.run(engine, pkg, star, null, CORE, null, MethodSettings.DEFAULTS,
                7, (Progress) (done, total, what) -> progress.add(done + "/" + total)).get(2, TimeUnit.MINUTES);

        for (int i = 0; i < report.steps().size(); i++) {
            SanityStep s = report.steps().get(i);
            System.out.printf("step %d %-40s saliency %.3f %.3f  gradcam %.3f %.3f%n", i, s.randomized(),
                    s.spearman().get(Method.SALIENCY), s.ssim().get(Method.SALIENCY), s.spearman().get(Method.GRADCAM),
                    s.ssim().get(Method.GRADCAM));
        }
        assertThat(report.groups()).containsExactly("fc", "layer4", "layer3", "layer2", "layer1", "bn1", "conv1");
        assertThat(report.steps()).hasSize(8);
        assertThat(report.target().label()).isEqualTo("star");
        assertThat(report.layer()).isEqualTo("layer4");
        assertThat(progress).contains("0/8", "7/8", "8/8");
        for (Method m : CORE) {
            assertThat(report.steps().get(0).spearman().get(m)).isEqualTo(1.0);
            assertThat(report.steps().get(0).ssim().get(m)).isEqualTo(1.0);
            assertThat(report.steps().get(0).maps().get(m).width()).isEqualTo(96);
            assertThat(report.flagged().get(m)).as("%s flagged", m).isFalse();
        }
        // Grad-CAM at layer4 loses its ranking as soon as the head and the last stage are random
        assertThat(report.steps().get(2).spearman().get(Method.GRADCAM)).isLessThan(0.5);
        assertThat(report.last().spearman().get(Method.GRADCAM)).isLessThan(0.5);
        assertThat(report.last().ssim().get(Method.GRADCAM)).isLessThan(0.6);
        assertThat(report.last().spearman().get(Method.SALIENCY)).isLessThan(0.5);
        assertThat(report.last().ssim().get(Method.SALIENCY)).isLessThan(report.steps().get(0).ssim().get(Method.SALIENCY));

        float[] after = engine.predict(users, List.of(star)).join().get(0).logits();
        assertThat(after).as("the caller's loaded model keeps its weights").containsExactly(before);
    }

    static Path sample(String model, String file) {
        return TestModels.SAMPLES.resolve(model).resolve(file);
    }
}
