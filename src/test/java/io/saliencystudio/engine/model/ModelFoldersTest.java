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
}
