package io.saliencystudio.engine.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFoldersTest {

    @Test
    void linuxUsesXdgDataHomeAndIgnoresARelativeOne() {
        assertThat(ModelFolders.userDir("Linux", Map.of("XDG_DATA_HOME", "/data/me"), "/home/me"))
                .isEqualTo(Path.of("/data/me/saliency-studio/models"));
        assertThat(ModelFolders.userDir("Linux", Map.of(), "/home/me"))
                .isEqualTo(Path.of("/home/me/.local/share/saliency-studio/models"));
        // The XDG spec: relative paths are invalid and must be ignored.
        assertThat(ModelFolders.userDir("Linux", Map.of("XDG_DATA_HOME", "data"), "/home/me"))
                .isEqualTo(Path.of("/home/me/.local/share/saliency-studio/models"));
    }

    @Test
    void windowsAndMacUseTheirApplicationDataFolders() {
        assertThat(ModelFolders.userDir("Windows 11", Map.of("LOCALAPPDATA", "/c/Users/me/AppData/Local"), "/c/Users/me"))
                .isEqualTo(Path.of("/c/Users/me/AppData/Local/Saliency Studio/models"));
        assertThat(ModelFolders.userDir("Mac OS X", Map.of(), "/Users/me"))
                .isEqualTo(Path.of("/Users/me/Library/Application Support/Saliency Studio/models"));
    }

    @Test
    void theUserFolderIsScannedAfterTheBundledOneOnceItExists(@TempDir Path tmp) throws Exception {
        Path bundled = Path.of("models").toAbsolutePath();
        Path user = tmp.resolve("xdg/saliency-studio/models");
        assertThat(ModelFolders.scanOrder(bundled, user)).containsExactly(bundled);
        Files.createDirectories(user);
        assertThat(ModelFolders.scanOrder(bundled, user)).containsExactly(bundled, user);
        assertThat(ModelFolders.scanOrder(bundled, bundled)).containsExactly(bundled);
    }

    @Test
    void aShippedFolderIsTheGivenOneElseTheWorkingFoldersElseTheOneBesideTheCode(@TempDir Path tmp) throws Exception {
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path jar = tmp.resolve("install/lib/app/saliency-studio.jar");
        Files.createDirectories(jar.getParent());
        // nothing anywhere: the working folder's, for the caller to report missing
        assertThat(ModelFolders.shipped(null, "models", work, jar)).isEqualTo(work.resolve("models"));
        // the folder above the jar's, then the jar's own, which wins
        Path above = Files.createDirectories(tmp.resolve("install/lib/models"));
        assertThat(ModelFolders.shipped(null, "models", work, jar)).isEqualTo(above);
        Path beside = Files.createDirectories(tmp.resolve("install/lib/app/models"));
        assertThat(ModelFolders.shipped(null, "models", work, jar)).isEqualTo(beside);
        // two levels up is too far (a stray models folder higher up is not the app's)
        Files.delete(beside);
        Files.delete(above);
        Files.createDirectories(tmp.resolve("install/models"));
        assertThat(ModelFolders.shipped(null, "models", work, jar)).isEqualTo(work.resolve("models"));
        // the working folder's wins over the code's; a given one over both, a blank one counts as not given
        Path local = Files.createDirectories(work.resolve("assets/samples"));
        Files.createDirectories(tmp.resolve("install/lib/app/assets/samples"));
        assertThat(ModelFolders.shipped(" ", "assets/samples", work, jar)).isEqualTo(local);
        assertThat(ModelFolders.shipped(tmp + "/x/../given", "assets/samples", work, jar))
                .isEqualTo(tmp.resolve("given"));
        assertThat(ModelFolders.shipped(null, "assets/samples", tmp.resolve("elsewhere"), jar))
                .isEqualTo(tmp.resolve("install/lib/app/assets/samples"));
        assertThat(ModelFolders.shipped(null, "models", work, null)).isEqualTo(work.resolve("models"));
    }

    @Test
    void theBundledFolderFollowsItsSystemProperty(@TempDir Path tmp) {
        String before = System.getProperty(ModelFolders.BUNDLED_PROPERTY);
        try {
            System.setProperty(ModelFolders.BUNDLED_PROPERTY, tmp.toString());
            assertThat(ModelFolders.bundledDir()).isEqualTo(tmp);
            System.clearProperty(ModelFolders.BUNDLED_PROPERTY);
            assertThat(ModelFolders.bundledDir()).isEqualTo(Path.of("models").toAbsolutePath());
        } finally {
            if (before != null) {
                System.setProperty(ModelFolders.BUNDLED_PROPERTY, before);
            }
        }
    }
}
