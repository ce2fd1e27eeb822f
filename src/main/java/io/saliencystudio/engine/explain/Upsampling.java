package io.saliencystudio.engine.explain;

import java.util.Locale;

/**
 * How a layer map reaches the input's resolution. {@link #RECEPTIVE_FIELD} draws each cell at the centre of the input
 * region it sees (bilinear between centres, edge values held outside them); {@link #BILINEAR} stretches the grid
 * corner to corner ({@code align_corners=False}), as pytorch-grad-cam, torch-cam and Captum do. Layer-resolution maps
 * are the same either way.
 */
public enum Upsampling {
    RECEPTIVE_FIELD("receptive-field"),
    BILINEAR("bilinear");

    private final String id;

    Upsampling(String id) {
        this.id = id;
    }

    /** The CLI and metadata spelling: {@code receptive-field} or {@code bilinear}. */
    public String id() {
        return id;
    }

    public static Upsampling fromId(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Upsampling u : values()) {
            if (u.id.equals(t)) {
                return u;
            }
        }
        throw new IllegalArgumentException("upsampling must be receptive-field or bilinear, got '" + text + "'");
    }
}
