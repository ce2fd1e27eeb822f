package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.ModelPackageException;
import io.saliencystudio.testing.TestModels;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Models that are not what the app expects fail with a message that says what to do; the engine keeps working. */
class ModelErrorsTest {

    private static final Path MODELS = Path.of("src/test/resources/models");

    private static ModelInput noise(LoadedModel model) {
        var spec = model.manifest().input();
        float[] t = new float[spec.size()];
        Random r = new Random(1);
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) r.nextGaussian();
        }
        return new ModelInput(spec, t, RgbImage.blank(spec.width(), spec.height()), "noise");
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    @Test
    void aPlainTorchScriptFileExplainsWithSaliencyAndSaysHowToGetGradCam() throws Exception {
        LoadedModel model = TestModels.load(MODELS.resolve("plain-no-taps.pt"));
        assertThat(model.hasTaps()).isFalse();
        assertThat(model.numClasses()).isEqualTo(4);
        assertThat(model.modelPackage().label(2)).isEqualTo("class 2");
        Explanation e = TestModels.engine().explain(model,
                ExplainRequest.of(List.of(noise(model)), null, EnumSet.of(Method.SALIENCY), null)).join().get(0);
        assertThat(e.result(Method.SALIENCY).map().rawMax()).isGreaterThan(0f);
        assertThat(e.result(Method.SALIENCY).map().width()).isEqualTo(224);

        assertThatThrownBy(() -> TestModels.engine().explain(model,
                ExplainRequest.of(List.of(noise(model)), null, EnumSet.of(Method.GRADCAM), null)).join())
                .extracting(ModelErrorsTest::cause)
                .isInstanceOf(EngineException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("has no layer taps").contains("saliency works").contains("models/tools/export.py");
    }

    @Test
    void aStateDictIsRecognisedAsAPickle() {
        assertThatThrownBy(() -> ModelPackage.open(MODELS.resolve("state-dict.pt")))
                .isInstanceOf(ModelPackageException.class)
                .hasMessageContaining("pickle").hasMessageContaining("not TorchScript").hasMessageContaining("export.py");
    }

    @Test
    void aTextFileIsNotAModel() {
        assertThatThrownBy(() -> ModelPackage.open(MODELS.resolve("not-a-model.pt")))
                .isInstanceOf(ModelPackageException.class).hasMessageContaining("not a TorchScript file");
    }

    @Test
    void aModelWhoseOutputIsNotLogitsIsRefusedAtLoad() throws Exception {
        ModelPackage pkg = ModelPackage.open(MODELS.resolve("wrong-output.pt"));
        assertThatThrownBy(() -> TestModels.engine().load(pkg).join())
                .extracting(ModelErrorsTest::cause)
                .isInstanceOf(ModelPackageException.class)
                .extracting(Throwable::getMessage).asString()
                .contains("(N, classes)");
    }

    @Test
    void unknownLayerListsTheValidOnesAndOutOfRangeClassSaysTheRange() {
        LoadedModel model = TestModels.load(Path.of(System.getProperty("behaviour.model", "models/shapes")));
        ModelInput in = noise(model);
        assertThatThrownBy(() -> TestModels.engine().explain(model,
                ExplainRequest.of(List.of(in), null, EnumSet.of(Method.GRADCAM), "layer9")).join())
                .extracting(ModelErrorsTest::cause).extracting(Throwable::getMessage).asString()
                .contains("no layer 'layer9'").contains("Valid layers:").contains(model.manifest().defaultLayer());
        int k = model.numClasses();
        assertThatThrownBy(() -> TestModels.engine().explain(model,
                ExplainRequest.of(List.of(in), k, EnumSet.of(Method.SALIENCY), null)).join())
                .extracting(ModelErrorsTest::cause).extracting(Throwable::getMessage).asString()
                .contains("class " + k + " is out of range").contains("0.." + (k - 1));
        // and the engine still works afterwards
        Explanation ok = TestModels.engine().explain(model,
                ExplainRequest.of(List.of(in), 0, Method.core(), null)).join().get(0);
        assertThat(ok.target().index()).isZero();
    }
}
