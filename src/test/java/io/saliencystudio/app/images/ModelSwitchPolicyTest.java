package io.saliencystudio.app.images;

import static io.saliencystudio.app.images.ModelSwitchPolicy.Action.KEEP_THE_LIST;
import static io.saliencystudio.app.images.ModelSwitchPolicy.Action.SHOW_ITS_SAMPLES;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a model change does to the list, decided on paths alone. */
class ModelSwitchPolicyTest {

    private static final Path SAMPLES = Path.of("/app/assets/samples");
    private static final Path SHAPES = SAMPLES.resolve("shapes");
    private static final Path DIGITS = SAMPLES.resolve("digits");

    @Test
    void anotherModelsSamplesMakeWayForTheNewModelsSamples() {
        assertThat(ModelSwitchPolicy.decide(List.of(SHAPES.resolve("a.png"), SHAPES.resolve("b.png")), SAMPLES,
                DIGITS)).isEqualTo(SHOW_ITS_SAMPLES);
        // An empty list is "only samples" too: the new model's samples are listed.
        assertThat(ModelSwitchPolicy.decide(List.of(), SAMPLES, DIGITS)).isEqualTo(SHOW_ITS_SAMPLES);
    }

    @Test
    void theUsersOwnImagesStay() {
        assertThat(ModelSwitchPolicy.decide(List.of(SHAPES.resolve("a.png"), Path.of("/home/me/cat.png")), SAMPLES,
                DIGITS)).isEqualTo(KEEP_THE_LIST);
    }

    @Test
    void theNewModelsOwnSamplesOrNoSamplesLeaveTheListAlone() {
        assertThat(ModelSwitchPolicy.decide(List.of(DIGITS.resolve("1.png")), SAMPLES, DIGITS))
                .isEqualTo(KEEP_THE_LIST);
        assertThat(ModelSwitchPolicy.decide(List.of(SHAPES.resolve("a.png")), SAMPLES, null)).isEqualTo(KEEP_THE_LIST);
    }

    @Test
    void samplesAreTheFolderNamedAfterTheModelIdWhenItExists() throws Exception {
        ModelSwitchPolicy policy = new ModelSwitchPolicy(io.saliencystudio.app.AppTestKit.SAMPLES, null, null);
        var shapes = io.saliencystudio.engine.model.ModelPackage.open(io.saliencystudio.app.AppTestKit.defaultModel());
        assertThat(policy.samplesOf(shapes)).isEqualTo(io.saliencystudio.app.AppTestKit.SAMPLES.resolve(shapes.id()))
                .isDirectory();
        ModelSwitchPolicy none = new ModelSwitchPolicy(Path.of("no-such-folder"), null, null);
        assertThat(none.samplesOf(shapes)).isNull();
    }
}
