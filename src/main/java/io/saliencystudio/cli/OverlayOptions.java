package io.saliencystudio.cli;

import io.saliencystudio.engine.render.Colormap;
import picocli.CommandLine.Option;

/** How a map is drawn over the image, shared by {@code explain} (overlays, figures) and {@code sanity} (strips). */
final class OverlayOptions {

    @Option(names = "--colormap", defaultValue = "viridis", paramLabel = "NAME", description = "Colormap of the overlays: viridis, inferno, magma, plasma, turbo, jet, gray or coolwarm; signed maps always use coolwarm (default ${DEFAULT-VALUE}).")
    String colormap;

    @Option(names = "--opacity", defaultValue = "0.5", paramLabel = "A", description = "Heatmap opacity over the image, 0..1 (default ${DEFAULT-VALUE}).")
    double opacity;

    /** The colormap named by {@code --colormap}; an unknown name is a usage error. */
    Colormap colormap() {
        return Colormap.fromId(colormap);
    }

    /** {@code --opacity}, checked to lie in [0, 1] (NaN fails too). */
    double opacity() {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new IllegalArgumentException("--opacity must be between 0 and 1, got " + opacity);
        }
        return opacity;
    }
}
