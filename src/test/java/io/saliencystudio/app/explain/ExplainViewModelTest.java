package io.saliencystudio.app.explain;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.FakeBackend;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.app.service.ImageSource;
import io.saliencystudio.app.service.ImageStore;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.testing.SameThreadExecutor;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The explain view-model over the real {@link InferenceService} and a {@link FakeBackend}, every executor the calling
 * thread: no libtorch, no window, and each call has finished when it returns.
 */
class ExplainViewModelTest {

    private static final Path SHAPES = Path.of("assets/samples/shapes");

    private FakeBackend backend;
    private ExplainViewModel vm;
    private LoadedModel model;

    @BeforeEach
    void build() throws Exception {
        backend = new FakeBackend();
        InferenceService service = new InferenceService(backend,
                new ImageStore(SameThreadExecutor.INSTANCE, 64L << 20), SameThreadExecutor.INSTANCE, 64L << 20);
        vm = new ExplainViewModel(service);
        model = backend.load(ModelPackage.open(Path.of("models/shapes")), ComputeDevice.CPU).join();
        vm.setModel(model);
    }

    private static int hottestColumn(Heatmap map) {
        int best = 0;
        for (int i = 1; i < map.values().length; i++) {
            if (map.values()[i] > map.values()[best]) {
                best = i;
            }
        }
        return best % map.width();
    }

    @Test
    void anImageIsExplainedForItsTopClassThenForAChosenOne() {
        vm.showImage(ImageSource.of(SHAPES.resolve("star-01.png")));
        ExplainOutcome first = vm.outcomeProperty().get();
        int top = first.prediction().top1();
        assertThat(first.target().index()).isEqualTo(top);
        assertThat(vm.topClasses().get(0).index()).isEqualTo(top);
        Heatmap map = first.map(Method.SALIENCY);
        assertThat(map.width()).isEqualTo(96);
        assertThat(hottestColumn(map)).isEqualTo(FakeBackend.hotColumn(top, 96));
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(backend.requests).hasSize(1);

        int other = (top + 1) % model.numClasses();
        vm.selectClass(other);
        ExplainOutcome second = vm.outcomeProperty().get();
        assertThat(second.target().index()).isEqualTo(other);
        assertThat(hottestColumn(second.map(Method.SALIENCY))).isEqualTo(FakeBackend.hotColumn(other, 96));
        assertThat(backend.requests).hasSize(2);
        assertThat(backend.requests.get(1).targets()).containsExactly(other);
    }

    @Test
    void askingAgainForWhatWasShownComesFromTheCache() {
        ImageSource star = ImageSource.of(SHAPES.resolve("star-01.png"));
        vm.showImage(star);
        vm.showImage(ImageSource.of(SHAPES.resolve("circle-01.png")));
        vm.showImage(star);
        assertThat(backend.requests).hasSize(2);
        assertThat(vm.outcomeProperty().get().fromCache()).isTrue();
        assertThat(vm.engineMillisProperty().get()).isZero();
        assertThat(vm.outcomeProperty().get().query().image()).isEqualTo(star);
    }

    @Test
    void aResultThatArrivesAfterANewerRequestIsNotShown() {
        backend.hold();
        vm.showImage(ImageSource.of(SHAPES.resolve("star-01.png")));
        ImageSource circle = ImageSource.of(SHAPES.resolve("circle-01.png"));
        vm.showImage(circle);
        assertThat(vm.busyProperty().get()).isTrue();
        assertThat(vm.outcomeProperty().get()).isNull();
        backend.release(); // the star's result comes back first, then the circle's is asked for and answered
        backend.release();
        assertThat(vm.outcomeProperty().get().query().image()).isEqualTo(circle);
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(backend.requests).extracting(r -> r.inputs().get(0).source()).last().asString()
                .endsWith("circle-01.png");
    }
}
