package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.testing.TestModels;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Native model work is reachable only on the inference thread; the handle's identity may be read anywhere. */
class ThreadConfinementTest {

    @Test
    void checkCurrentPassesOnTheInferenceThreadAndNamesTheCallerElsewhere() throws Exception {
        try (InferenceThread thread = new InferenceThread()) {
            assertThat(thread.submit(() -> {
                InferenceThread.checkCurrent();
                return Thread.currentThread().getName();
            }).get()).isEqualTo(InferenceThread.NAME);
        }
        String me = Thread.currentThread().getName();
        assertThatThrownBy(InferenceThread::checkCurrent).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'" + me + "'").hasMessageContaining("'inference'");
    }

    @Test
    void aThreadMerelyNamedInferenceDoesNotCount() throws Exception {
        Throwable[] thrown = new Throwable[1];
        Thread impostor = new Thread(() -> {
            try {
                InferenceThread.checkCurrent();
            } catch (IllegalStateException e) {
                thrown[0] = e;
            }
        }, InferenceThread.NAME);
        impostor.start();
        impostor.join();
        assertThat(thrown[0]).isInstanceOf(IllegalStateException.class)
                .hasMessageEndingWith("not on '" + InferenceThread.NAME + "'");
    }

    @Test
    void theModelsNativeMethodsRefuseOtherThreads() {
        LoadedModel model = TestModels.load("shapes");
        InputSpec spec = model.manifest().input();
        ModelInput input = new ModelInput(spec, new float[spec.size()], RgbImage.blank(spec.width(), spec.height()),
                "zeros");
        String me = Thread.currentThread().getName();
        assertThatThrownBy(() -> model.logits(List.of(input))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(me);
        assertThatThrownBy(model::parameterNames).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(model::methodNames).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new TorchNetwork(model, 1)).isInstanceOf(IllegalStateException.class);
        // Identity is plain Java and free to read; the engine reaches the natives on its thread.
        assertThat(model.numClasses()).isGreaterThan(1);
        assertThat(model.manifest().id()).isEqualTo("shapes");
        assertThat(TestModels.engine().predict(model, List.of(input)).join()).hasSize(1);
    }
}
