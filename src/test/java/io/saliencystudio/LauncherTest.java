package io.saliencystudio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherTest {

    @Test
    void theWindowNeedsADisplayOnlyWhereX11OrWaylandProvideIt() {
        assertThat(Launcher.displayAvailable("Linux", Map.of(), null)).isFalse();
        assertThat(Launcher.displayAvailable("Linux", Map.of("DISPLAY", ""), null)).isFalse();
        assertThat(Launcher.displayAvailable("Linux", Map.of("DISPLAY", ":0"), null)).isTrue();
        assertThat(Launcher.displayAvailable("Linux", Map.of("WAYLAND_DISPLAY", "wayland-0"), null)).isTrue();
        assertThat(Launcher.displayAvailable("Linux", Map.of(), "Monocle")).isTrue();
        assertThat(Launcher.displayAvailable("Windows 11", Map.of(), null)).isTrue();
        assertThat(Launcher.displayAvailable("Mac OS X", Map.of(), null)).isTrue();
    }
}
