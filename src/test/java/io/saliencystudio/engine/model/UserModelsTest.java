package io.saliencystudio.engine.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Adding models to the per-user folder: what is copied, where, and that nothing is ever replaced or left half-done. */
class UserModelsTest {

    private static final Path BUNDLED = Path.of("models").toAbsolutePath();
    private static final Path FASHION = BUNDLED.resolve("fashion-mnist");

    @Test
    void aPackageFolderIsCopiedWholeAndListedAfterTheBundledModels(@TempDir Path tmp) throws Exception {
        Path user = tmp.resolve("xdg/saliency-studio/models"); // does not exist yet: created on the first add
        Path added = UserModels.add(FASHION, user);

        assertThat(added).isEqualTo(user.resolve("fashion-mnist"));
        for (String f : List.of("manifest.json", "model.pt", "synset.txt")) {
            assertThat(Files.mismatch(FASHION.resolve(f), added.resolve(f))).as(f).isEqualTo(-1L);
        }
        ModelCatalog catalog = ModelCatalog.scan(ModelFolders.scanOrder(BUNDLED, user));
        assertThat(catalog.problems()).isEmpty();
        assertThat(catalog.packages()).extracting(p -> p.location().toString()).containsExactly(
                BUNDLED.resolve("fashion-mnist").toString(), BUNDLED.resolve("shapes").toString(), added.toString());
        ModelPackage copy = catalog.packages().get(2);
        assertThat(copy.manifest().sha256()).isEqualTo(ModelPackage.open(FASHION).manifest().sha256());
        assertThat(copy.labels()).hasSize(10);
    }

    @Test
    void aBareTorchScriptFileBecomesAFolderNamedAfterIt(@TempDir Path tmp) throws Exception {
        Path pt = Files.copy(FASHION.resolve("model.pt"), tmp.resolve("my-net.pt"));
        Files.copy(FASHION.resolve("synset.txt"), tmp.resolve("synset.txt")); // DJL's convention: labels beside it
        Path user = tmp.resolve("user");
        Path added = UserModels.add(pt, user);

        assertThat(added).isEqualTo(user.resolve("my-net"));
        assertThat(Files.mismatch(pt, added.resolve("my-net.pt"))).isEqualTo(-1L);
        ModelCatalog catalog = ModelCatalog.scan(List.of(user));
        assertThat(catalog.problems()).isEmpty();
        assertThat(catalog.packages()).singleElement()
                .satisfies(p -> assertThat(p.modelFile()).isEqualTo(added.resolve("my-net.pt")))
                .satisfies(p -> assertThat(p.labels()).hasSize(10).startsWith("T-shirt/top"));
    }

    @Test
    void anExistingModelIsNeverReplaced(@TempDir Path tmp) throws Exception {
        Path user = tmp.resolve("user");
        Path mine = Files.createDirectories(user.resolve("fashion-mnist"));
        Files.writeString(mine.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> UserModels.add(FASHION, user)).isInstanceOf(IOException.class)
                .hasMessage("Your models folder already has a model named fashion-mnist (" + mine + "): rename or "
                        + "remove that one first, or rename the one to add");
        try (Stream<Path> left = Files.list(mine)) {
            assertThat(left).containsExactly(mine.resolve("notes.txt"));
        }
        try (Stream<Path> left = Files.list(user)) {
            assertThat(left).as("no temporary folder left").containsExactly(mine);
        }
    }

    @Test
    void aModelAlreadyInTheUserFolderIsNotCopiedAgain(@TempDir Path tmp) throws Exception {
        Path user = tmp.resolve("user");
        Path added = UserModels.add(FASHION, user);
        assertThat(UserModels.add(added, user)).isEqualTo(added);
        assertThat(UserModels.add(added.resolve("model.pt"), user)).isEqualTo(added);
        try (Stream<Path> left = Files.list(user)) {
            assertThat(left).containsExactly(added);
        }
    }

    @Test
    void aFailedCopyLeavesNothingBehindAndSaysWhy(@TempDir Path tmp) throws Exception {
        // A dangling link in the package cannot be copied, half-way through.
        Path src = Files.createDirectories(tmp.resolve("broken-pkg"));
        Files.copy(FASHION.resolve("model.pt"), src.resolve("model.pt"));
        Files.createSymbolicLink(src.resolve("weights.bin"), tmp.resolve("gone"));
        Path user = Files.createDirectories(tmp.resolve("user"));

        assertThatThrownBy(() -> UserModels.add(src, user)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("The model was not added: could not copy broken-pkg into " + user);
        try (Stream<Path> left = Files.list(user)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anUnusableUserFolderIsReportedInOneSentence(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        assertThatThrownBy(() -> UserModels.add(FASHION, file.resolve("models"))).isInstanceOf(IOException.class)
                .hasMessageStartingWith("The model was not added: could not create " + file.resolve("models"))
                .hasMessageEndingWith("free some space or check the folder's permissions, then try again");
    }
}
