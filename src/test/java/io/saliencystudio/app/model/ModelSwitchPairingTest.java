package io.saliencystudio.app.model;

import io.saliencystudio.app.PanelNodes;
import static io.saliencystudio.app.AppTestKit.onFx;
import static io.saliencystudio.app.AppTestKit.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.AppTestKit;
import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.WindowTestBase;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.model.ModelPackage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Switching between the two bundled models replaces one model's samples with the other's. The image selected under
 * the old model must never be explained (or predicted) with the new one, not even for a frame: it used to be, from
 * the second switch on, straight from the cache (a shapes image headlined with a fashion-mnist class).
 */
class ModelSwitchPairingTest extends WindowTestBase {

    /** An image paired with a model, as asked of the engine or shown in the panels. */
    private record Pair(String what, Path image, Path model) {
        boolean matches() {
            return image.startsWith(AppTestKit.samplesOf(model));
        }
    }

    @Test
    void noImageOfOneModelsSamplesIsEverExplainedWithAnotherModel() {
        Path first = defaultModel();
        Path other = AppTestKit.MODELS.resolve(first.getFileName().toString().equals("shapes") ? "fashion-mnist"
                : "shapes");
        assertThat(other.resolve("manifest.json")).as("both default models are committed").isRegularFile();
        awaitFirstExplanation();
        List<Pair> shown = new CopyOnWriteArrayList<>();
        onFx(() -> ctx.explain().outcomeProperty().addListener((o, was, now) -> {
            if (now != null) {
                shown.add(new Pair("shown", now.query().image().path(),
                        now.query().model().modelPackage().location()));
            }
        }));

        List<Path> switches = List.of(other, first, other, first);
        for (Path target : switches) {
            ModelPackage pkg = onFx(() -> ctx.models().catalog().stream()
                    .filter(p -> p.location().equals(target)).findFirst().orElseThrow());
            onFx(() -> window.modelPicker().picker().getSelectionModel().select(pkg));
            waitUntil(target.getFileName() + " loaded and its first sample explained", 60, () -> {
                ExplainOutcome out = ctx.explain().outcome();
                return out != null && !ctx.explain().busyProperty().get() && ctx.images().selected() != null
                        && out.query().model().modelPackage().location().equals(target)
                        && out.query().image().equals(ctx.images().selected().source())
                        && !ctx.images().items().isEmpty() && ctx.images().items().stream()
                                .allMatch(i -> i.source().path().startsWith(AppTestKit.samplesOf(target)));
            });
        }
        AppTestKit.settle();

        List<Pair> asked = new ArrayList<>();
        for (TestBackend.Asked a : backend.asked) {
            a.sources().forEach(s -> asked.add(new Pair(a.kind(), Path.of(s), a.model().modelPackage().location())));
        }
        SoftAssertions.assertSoftly(soft -> {
            soft.assertThat(asked).as("engine calls").isNotEmpty();
            soft.assertThat(asked).as("engine calls pairing an image with another model")
                    .filteredOn(p -> !p.matches()).isEmpty();
            soft.assertThat(shown).as("outcomes shown (one per switch at least)")
                    .hasSizeGreaterThanOrEqualTo(switches.size());
            soft.assertThat(shown).as("outcomes shown that pair an image with another model")
                    .filteredOn(p -> !p.matches()).isEmpty();
        });

        // The final panel: first model, its first sample, a class of that model in the headline.
        ExplainOutcome last = onFx(() -> ctx.explain().outcome());
        ModelPackage pkg = last.query().model().modelPackage();
        assertThat(pkg.location()).isEqualTo(first);
        assertThat(pkg.labels()).contains(last.target().label());
        String truth = onFx(() -> ctx.explain().truthProperty().get().label());
        assertThat(pkg.labels()).contains(truth);
        assertThat(onFx(() -> PanelNodes.headlineText(window.panels()))).startsWith("Explaining " + last.target().label())
                .contains("true: " + truth);
    }

    @Test
    void samplesStillBeingReadWhenTheListIsReplacedDoNotComeBack() throws Exception {
        Path first = defaultModel();
        Path other = AppTestKit.MODELS.resolve(first.getFileName().toString().equals("shapes") ? "fashion-mnist"
                : "shapes");
        assertThat(AppTestKit.samplesOf(other)).as("both sample folders are committed").isDirectory();
        awaitFirstExplanation();
        // What two quick model switches do: the first switch's samples are still being read (off the UI thread)
        // when the second one empties the list and lists its own.
        var late = onFx(() -> {
            var f = ctx.images().add(List.of(AppTestKit.samplesOf(other)));
            ctx.images().clear();
            assertThat(ctx.explain().imageProperty().get()).as("explained once nothing is selected").isNull();
            assertThat(ctx.explain().outcome()).as("shown once nothing is selected").isNull();
            ctx.images().add(List.of(AppTestKit.samplesOf(first)));
            return f;
        });
        assertThat(late.get(30, java.util.concurrent.TimeUnit.SECONDS)).as("items of the superseded add").isEmpty();
        waitUntil("the first model's first sample explained again", 60, () -> ctx.explain().outcome() != null
                && !ctx.explain().busyProperty().get());
        AppTestKit.settle();
        assertThat(onFx(() -> ctx.images().items().stream().map(i -> i.source().path()).toList()))
                .isNotEmpty().allMatch(p -> p.startsWith(AppTestKit.samplesOf(first)));
        assertThat(onFx(() -> ctx.explain().outcome().query().image().path()))
                .isEqualTo(onFx(() -> ctx.images().items().get(0).source().path()));
    }
}
