package io.saliencystudio.engine.render;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Colour lookup tables (256 entries, sampled from matplotlib's definitions) read as floats and interpolated linearly,
 * so a value maps to a colour without first being rounded to 8 bits. Viridis is the default: perceptually uniform,
 * unlike the field's habitual jet.
 */
public enum Colormap {
    VIRIDIS("viridis"),
    INFERNO("inferno"),
    MAGMA("magma"),
    PLASMA("plasma"),
    TURBO("turbo"),
    JET("jet"),
    GRAY("gray"),
    /** Diverging, for signed maps shown on a symmetric scale. */
    COOLWARM("coolwarm");

    public static final Colormap DEFAULT = VIRIDIS;

    private final String id;
    private volatile float[] table;

    Colormap(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Colormap fromId(String id) {
        for (Colormap c : values()) {
            if (c.id.equalsIgnoreCase(id.strip())) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown colormap '" + id + "'; choose one of "
                + Arrays.stream(values()).map(Colormap::id).collect(Collectors.joining(", ")));
    }

    /**
     * Colour of {@code v} (clamped to [0, 1]) written into {@code rgb} as floats in [0, 1]. NaN maps to the lowest
     * colour.
     */
    public void color(float v, float[] rgb) {
        float[] t = table();
        float pos = (v != v ? 0f : Math.min(1f, Math.max(0f, v))) * 255f;
        int i = Math.min((int) pos, 254);
        float f = pos - i;
        for (int c = 0; c < 3; c++) {
            rgb[c] = t[i * 3 + c] * (1 - f) + t[(i + 1) * 3 + c] * f;
        }
    }

    /** Packed opaque ARGB of {@code v}, for colour bars and previews. */
    public int argb(float v) {
        float[] rgb = new float[3];
        color(v, rgb);
        return 0xff000000 | (to8(rgb[0]) << 16) | (to8(rgb[1]) << 8) | to8(rgb[2]);
    }

    static int to8(float f) {
        return Math.round(Math.min(1f, Math.max(0f, f)) * 255f);
    }

    private float[] table() {
        float[] t = table;
        if (t == null) {
            t = load();
            table = t;
        }
        return t;
    }

    private float[] load() {
        String resource = "/io/saliencystudio/colormaps/" + id + ".txt";
        try (InputStream in = Colormap.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("colormap table missing from the application: " + resource);
            }
            float[] t = new float[256 * 3];
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int i = 0;
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                for (String part : line.split("\\s+")) {
                    t[i++] = Float.parseFloat(part);
                }
            }
            if (i != t.length) {
                throw new IllegalStateException(resource + " must hold 256 RGB rows, found " + i / 3);
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
