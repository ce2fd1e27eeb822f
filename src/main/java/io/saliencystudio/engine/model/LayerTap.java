package io.saliencystudio.engine.model;

import java.util.List;

/**
 * A point in the exported TorchScript graph where a layer's activation can be read and its gradient collected.
 * One tap is one tensor; several PyTorch module paths can name it (a container and its last inner module).
 *
 * @param index the tap index passed to the model's {@code forward_tap} method
 * @param names module paths as {@code model.named_modules()} prints them, innermost first
 * @param channels channels of the activation for the manifest's input size
 * @param height activation height
 * @param width activation width
 * @param cut whether the rest of the network reads nothing computed before this tap but its value, so that the
 *     model's {@code forward_from} can run the network from here on (manifest {@code "cut": true})
 */
public record LayerTap(int index, List<String> names, int channels, int height, int width, boolean cut) {

    public LayerTap {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("tap " + index + " has no name");
        }
    }

    /** A tap the network cannot be started from (manifests written before cuts were recorded). */
    public LayerTap(int index, List<String> names, int channels, int height, int width) {
        this(index, names, channels, height, width, false);
    }

    /** The name users see first: the outermost module (e.g. {@code layer4} rather than {@code layer4.1.relu#2}). */
    public String displayName() {
        return names.get(names.size() - 1);
    }

    public boolean hasName(String name) {
        return names.contains(name);
    }

    /** "C x H x W" for listings. */
    public String shapeText() {
        return channels + "x" + height + "x" + width;
    }
}
