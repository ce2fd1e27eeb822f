package io.saliencystudio.engine.explain;

import java.util.Arrays;
import java.util.stream.Collectors;

/** An explanation method. Names are what the CLI accepts and what files are called. */
public enum Method {
    /** Vanilla gradient: sum over channels of |d logit / d input|, min-max normalised. */
    SALIENCY("saliency", false),
    /** Grad-CAM (Selvaraju et al.): ReLU of gradient-mean-weighted activations at a layer tap. */
    GRADCAM("gradcam", true);

    private final String id;
    private final boolean needsLayer;

    Method(String id, boolean needsLayer) {
        this.id = id;
        this.needsLayer = needsLayer;
    }

    public String id() {
        return id;
    }

    /** Whether the method reads a layer's activation (and so needs a model exported with taps). */
    public boolean needsLayer() {
        return needsLayer;
    }

    public static Method fromId(String id) {
        for (Method m : values()) {
            if (m.id.equalsIgnoreCase(id.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + id + "'; choose one of "
                + Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", ")));
    }
}
