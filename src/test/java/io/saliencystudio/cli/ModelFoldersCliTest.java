package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.model.ModelFolders;
import io.saliencystudio.engine.model.UserModels;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-user models folder from the command line, and {@code --threads}. */
class ModelFoldersCliTest {

    @AfterEach
    void forgetUserFolder() {
        System.clearProperty(ModelFolders.USER_PROPERTY);
    }

    @Test
    void modelsListsBundledThenUserModelsAndIdsResolveInBoth(@TempDir Path tmp) throws Exception {
        Path user = tmp.resolve("xdg/saliency-studio/models");
        Path pt = Files.copy(Path.of("models/fashion-mnist/model.pt"), tmp.resolve("my-net.pt"));
        UserModels.add(pt, user);
        System.setProperty(ModelFolders.USER_PROPERTY, user.toString());

        CliRun run = CliRun.of("models");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out().lines().filter(l -> l.startsWith("shapes")).findFirst()).get().asString()
                .contains("layer4").endsWith("bundled");
        assertThat(run.out().lines().filter(l -> l.startsWith("fashion-mnist")).findFirst()).get().asString()
                .endsWith("bundled");
        assertThat(run.out()).contains("your models:    " + user + System.lineSeparator());
        // The user model's id comes from the manifest embedded in the .pt, so the folder name is what tells it apart.
        assertThat(run.out().lines().filter(l -> l.endsWith("user"))).singleElement().asString()
                .contains("1,28,28 GRAY");

        CliRun predict = CliRun.of("predict", "--model", "my-net", "assets/samples/fashion-mnist/"
                + firstSample("fashion-mnist"));
        assertThat(predict.exitCode()).as(predict.err()).isZero();
        assertThat(predict.out()).contains("%");
    }

    @Test
    void aMissingUserFolderIsNamedWithHowToFillIt(@TempDir Path tmp) {
        System.setProperty(ModelFolders.USER_PROPERTY, tmp.resolve("none").toString());
        CliRun run = CliRun.of("models");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("your models:    " + tmp.resolve("none") + " (not created yet");
        assertThat(run.out().lines().filter(l -> l.endsWith(" user"))).isEmpty();
    }

    @Test
    void threadsIsAcceptedBeforeOrAfterTheCommandAndCheckedForRange() {
        // Equal to the test JVM's setting (surefire), which libtorch may already run with.
        assertThat(CliRun.of("--threads", "2", "models", "--models-dir", "models").exitCode()).isZero();
        assertThat(CliRun.of("models", "--threads", "2", "--models-dir", "models").exitCode()).isZero();
        CliRun bad = CliRun.of("models", "--threads", "0");
        assertThat(bad.exitCode()).isEqualTo(Main.USAGE);
        assertThat(bad.err()).startsWith("--threads is '0': give a whole number of threads from 1 to 1024");
    }

    private static String firstSample(String model) throws Exception {
        try (var s = Files.list(Path.of("assets/samples", model))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().findFirst()
                    .orElseThrow();
        }
    }
}
