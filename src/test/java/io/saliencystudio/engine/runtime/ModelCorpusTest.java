package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.ManifestReader;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.ModelPackageException;
import io.saliencystudio.testing.TestModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The model half of the regression corpus ({@code src/test/resources/corpus/models/}, written by
 * {@code src/test/python/make_test_models.py}): one row per way a model file can be wrong, the stage that must
 * catch it (opening reads files only; loading runs libtorch; explaining runs the model), the words the user must
 * read, and after each one a good model still explains, so one bad file never breaks the engine.
 */
class ModelCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/corpus/models");
    static final Path OLD = Path.of("src/test/resources/models");

    enum Stage { OPEN, LOAD, EXPLAIN }

    record Case(String name, Path path, Stage stage, List<String> says) {
        @Override
        public String toString() {
            return name;
        }
    }

    @TempDir
    static Path tmp;

    static Stream<Case> corpus() throws IOException {
        return Stream.of(
                new Case("not a zip", OLD.resolve("not-a-model.pt"), Stage.OPEN,
                        List.of("is not a TorchScript file (not a zip archive)", "torch.jit.save")),
                new Case("pickled state_dict", OLD.resolve("state-dict.pt"), Stage.OPEN,
                        List.of("is a PyTorch pickle (torch.save), not TorchScript", "Export it with models/tools/export.py")),
                new Case("manifest missing input", CORPUS.resolve("manifest-missing-input"), Stage.OPEN,
                        List.of("missing field 'input'", ManifestReader.FIX_HINT)),
                new Case("manifest pointing outside", CORPUS.resolve("manifest-outside"), Stage.OPEN,
                        List.of("The manifest field 'file' points outside the package folder (../good/model.pt)",
                                "package files must live inside")),
                new Case("zip entry claiming a giant size", giantClaim(), Stage.OPEN,
                        List.of("is damaged: its entry model/data/1 claims 2147483647 bytes but stores 32",
                                "Re-export the model with models/tools/export.py")),
                new Case("wrong channel count", CORPUS.resolve("wrong-channels"), Stage.LOAD,
                        List.of("The model rejected a 1x3x32x32 input", "The model expects 1 input channels, not 3.",
                                "Give the input size the model expects in its manifest")),
                new Case("output not (N, classes)", OLD.resolve("wrong-output.pt"), Stage.LOAD,
                        List.of("returns a tensor of shape (1, 2, 224, 224)",
                                "must return logits shaped (N, classes): re-export it so that forward returns the class "
                                        + "scores")),
                new Case("label count mismatch", CORPUS.resolve("label-mismatch"), Stage.LOAD,
                        List.of("The model has 4 outputs but its label file lists 3 classes",
                                "fix synset.txt (one line per class)")),
                new Case("throws inside TorchScript", CORPUS.resolve("throws-inside"), Stage.EXPLAIN,
                        List.of("The model failed while explaining", "input out of the range this model was trained on")));
    }

    /** The good package with one stored tensor's directory entry claiming 2 GiB (a crafted or damaged zip). */
    private static Path giantClaim() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("giant-claim"));
        for (String f : List.of("manifest.json", "synset.txt")) {
            Files.copy(CORPUS.resolve("good").resolve(f), dir.resolve(f));
        }
        byte[] zip = Files.readAllBytes(CORPUS.resolve("good/model.pt"));
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int seen = 0;
        for (int i = 0; i + 46 < zip.length; i++) {
            if (b.getInt(i) == 0x02014b50 && seen++ == 1) { // second central-directory record: model/data/1
                b.putInt(i + 24, Integer.MAX_VALUE); // its uncompressed size
            }
        }
        Path pt = dir.resolve("model.pt");
        Files.write(pt, zip);
        return dir;
    }

    private static ModelInput filled(LoadedModel model, float value, long seed) {
        var spec = model.manifest().input();
        float[] t = new float[spec.size()];
        Random r = new Random(seed);
        for (int i = 0; i < t.length; i++) {
            t[i] = value + (float) r.nextGaussian() * 0.1f;
        }
        return new ModelInput(spec, t, RgbImage.blank(spec.width(), spec.height()), "corpus-input");
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static List<Explanation> explain(LoadedModel model, ModelInput in) {
        return TestModels.engine().explain(model, ExplainRequest.of(List.of(in), null, EnumSet.of(Method.SALIENCY),
                null)).join();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachBadModelFailsAtItsStageWithAMessageThatSaysWhatToDoAndTheEngineGoesOn(Case c) throws Exception {
        Throwable error = catchThrowable(() -> {
            ModelPackage pkg = ModelPackage.open(c.path());
            assertThat(c.stage()).as("opened, but should have failed on open").isNotEqualTo(Stage.OPEN);
            LoadedModel model = TestModels.engine().load(pkg).join();
            try {
                assertThat(c.stage()).as("loaded, but should have failed on load").isEqualTo(Stage.EXPLAIN);
                // Ordinary inputs work; the model's own check fires on an input whose mean is above 1.
                assertThat(explain(model, filled(model, 0f, 1)).get(0).prediction().probabilities()).hasSize(4);
                explain(model, filled(model, 2f, 2));
            } finally {
                TestModels.engine().unload(model).join();
            }
        });
        Throwable cause = unwrap(error);
        assertThat(cause).as(c.name()).isNotNull()
                .isInstanceOfAny(ModelPackageException.class, EngineException.class);
        System.out.printf("model corpus | %s | %s | %s%n", c.name(), c.stage(), cause.getMessage());
        assertThat(cause.getMessage()).as(c.name()).contains(c.says());
        // One sentence for the user: no stack trace, no multi-line native dump.
        assertThat(cause.getMessage()).doesNotContain("\n").doesNotContain("at ai.djl").hasSizeLessThan(400);

        LoadedModel good = TestModels.load(CORPUS.resolve("good"));
        Explanation next = explain(good, filled(good, 0f, 3)).get(0);
        assertThat(next.prediction().probabilities()).hasSize(4);
        assertThat(Arrays.stream(next.prediction().probabilities()).sum()).isCloseTo(1.0, within(1e-6));
        assertThat(next.result(Method.SALIENCY).map().rawMax()).isGreaterThan(0f);
    }
}
