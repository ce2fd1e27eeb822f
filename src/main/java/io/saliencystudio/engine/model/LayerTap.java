package io.saliencystudio.engine.model;

import java.util.List;

/**
 * A point in the exported TorchScript graph where a layer's activation can be read and its gradient collected.
 * One tap is one tensor; several PyTorch module paths can name it (a container and its last inner module).
 * Layer methods see every tap as {@code (C, H, W)} ({@link #channels()}, {@link #height()}, {@link #width()}); the
 * tensor itself may be channels-last or tokens, which {@link #layout()} converts.
 *
 * @param index the tap index passed to the model's {@code forward_tap} method
 * @param names module paths as {@code model.named_modules()} prints them, innermost first
 * @param layout the tensor's layout and its {@code (C, H, W)} view
 * @param cut whether the rest of the network reads nothing computed before this tap but its value, so that the
 *     model's {@code forward_from} can run the network from here on (manifest {@code "cut": true})
 * @param receptiveField where each grid cell looks in the input, or null when the export did not record it
 */
public record LayerTap(int index, List<String> names, TapLayout layout, boolean cut, ReceptiveField receptiveField) {

    public LayerTap {
        names = List.copyOf(names);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("tap " + index + " has no name");
        }
    }

    /** A tap without a recorded receptive field. */
    public LayerTap(int index, List<String> names, TapLayout layout, boolean cut) {
        this(index, names, layout, cut, null);
    }

    /** An {@code (N, C, H, W)} tap. */
    public LayerTap(int index, List<String> names, int channels, int height, int width, boolean cut) {
        this(index, names, TapLayout.nchw(channels, height, width), cut);
    }

    /** An {@code (N, C, H, W)} tap the network cannot be started from (manifests written before cuts were recorded). */
    public LayerTap(int index, List<String> names, int channels, int height, int width) {
        this(index, names, channels, height, width, false);
    }

    public int channels() {
        return layout.channels();
    }

    /** Grid rows; 0 for a tap without a spatial grid. */
    public int height() {
        return layout.gridHeight();
    }

    /** Grid columns; 0 for a tap without a spatial grid. */
    public int width() {
        return layout.gridWidth();
    }

    /** Whether layer methods can use this tap (it has a spatial grid). */
    public boolean spatial() {
        return layout.spatial();
    }

    /** The name users see first: the outermost module (e.g. {@code layer4} rather than {@code layer4.1.relu#2}). */
    public String displayName() {
        return names.get(names.size() - 1);
    }

    public boolean hasName(String name) {
        return names.contains(name);
    }

    /** "C x H x W" for NCHW taps, with the layout spelled out for others ("197 tokens -> 14x14 + 1 · 768 ch"). */
    public String shapeText() {
        return layout.describe();
    }
}
