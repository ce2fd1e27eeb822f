package io.saliencystudio.app.prefs;

import io.saliencystudio.engine.explain.Upsampling;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.render.Colormap;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the app remembers between runs, in {@link java.util.prefs} under the node named by the system property
 * {@code saliency.prefs.node} (default {@code io/saliencystudio}; the tests use their own node). Typed accessors
 * so no key string leaks into the views; unreadable values fall back to defaults.
 */
public final class AppPreferences {

    public static final String NODE_PROPERTY = "saliency.prefs.node";
    public static final String DEFAULT_NODE = "io/saliencystudio";

    private static final Logger LOG = LoggerFactory.getLogger(AppPreferences.class);

    private static final String LAST_MODEL = "lastModel";
    private static final String COLORMAP = "colormap";
    private static final String OPACITY = "opacity.";
    private static final String WINDOW = "window.";
    private static final String SPLIT = "split.";
    private static final String DARK = "darkTheme";
    private static final String DEVICE = "device";
    private static final String LAST_DIR = "lastDirectory";
    private static final String SCALING = "scaling";
    private static final String SHARED_SCALE = "sharedScale";
    private static final String UPSAMPLING = "layerMapUpsampling";
    private static final String PROTOCOL = "faithfulness.";

    private final Preferences node;

    public AppPreferences(Preferences node) {
        this.node = node;
    }

    /** The node the system property names (user preferences tree). */
    public static AppPreferences fromSystemProperty() {
        return new AppPreferences(Preferences.userRoot().node(System.getProperty(NODE_PROPERTY, DEFAULT_NODE)));
    }

    public Optional<String> lastModel() {
        return Optional.ofNullable(node.get(LAST_MODEL, null));
    }

    public void setLastModel(String location) {
        node.put(LAST_MODEL, location);
    }

    public Colormap colormap() {
        try {
            return Colormap.fromId(node.get(COLORMAP, Colormap.DEFAULT.id()));
        } catch (IllegalArgumentException e) {
            return Colormap.DEFAULT;
        }
    }

    public void setColormap(Colormap colormap) {
        node.put(COLORMAP, colormap.id());
    }

    /** Heatmap opacity of a panel ({@code saliency}, {@code gradcam}) in [0, 1]. */
    public double opacity(String panel, double fallback) {
        double v = node.getDouble(OPACITY + panel, fallback);
        return Double.isFinite(v) ? Math.min(1, Math.max(0, v)) : fallback;
    }

    public void setOpacity(String panel, double value) {
        node.putDouble(OPACITY + panel, value);
    }

    public WindowBounds window(WindowBounds fallback) {
        double w = node.getDouble(WINDOW + "width", fallback.width());
        double h = node.getDouble(WINDOW + "height", fallback.height());
        return new WindowBounds(node.getDouble(WINDOW + "x", Double.NaN), node.getDouble(WINDOW + "y", Double.NaN),
                w >= 400 ? w : fallback.width(), h >= 300 ? h : fallback.height(),
                node.getBoolean(WINDOW + "maximized", false));
    }

    public void setWindow(WindowBounds b) {
        node.putDouble(WINDOW + "x", b.x());
        node.putDouble(WINDOW + "y", b.y());
        node.putDouble(WINDOW + "width", b.width());
        node.putDouble(WINDOW + "height", b.height());
        node.putBoolean(WINDOW + "maximized", b.maximized());
    }

    /** Divider positions of a split pane, or {@code fallback} when none or a different count is stored. */
    public double[] split(String name, double[] fallback) {
        String s = node.get(SPLIT + name, null);
        if (s == null) {
            return fallback;
        }
        try {
            String[] parts = s.split(",");
            double[] out = new double[parts.length];
            for (int i = 0; i < parts.length; i++) {
                out[i] = Double.parseDouble(parts[i]);
                if (!(out[i] > 0 && out[i] < 1)) {
                    return fallback;
                }
            }
            return out.length == fallback.length ? out : fallback;
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    public void setSplit(String name, double[] positions) {
        StringBuilder sb = new StringBuilder();
        for (double p : positions) {
            sb.append(sb.length() == 0 ? "" : ",").append(p);
        }
        node.put(SPLIT + name, sb.toString());
    }

    public boolean darkTheme() {
        return node.getBoolean(DARK, false);
    }

    public void setDarkTheme(boolean dark) {
        node.putBoolean(DARK, dark);
    }

    public Optional<String> device() {
        return Optional.ofNullable(node.get(DEVICE, null));
    }

    public void setDevice(String device) {
        node.put(DEVICE, device);
    }

    /** Ids of the method panels last shown, in order (empty if never saved). */
    public java.util.List<String> methodPanels() {
        String v = node.get("methodPanels", "");
        return v.isBlank() ? java.util.List.of() : java.util.List.of(v.split(","));
    }

    public void setMethodPanels(java.util.List<String> ids) {
        node.put("methodPanels", String.join(",", ids));
    }

    /** Name of the map scaling last chosen, if any (the enum lives with the panels). */
    public Optional<String> scaling() {
        return Optional.ofNullable(node.get(SCALING, null));
    }

    public void setScaling(String name) {
        node.put(SCALING, name);
    }

    /** Whether the method panels share one colour scale ({@code false} until the user turns it on). */
    public boolean sharedScale() {
        return node.getBoolean(SHARED_SCALE, false);
    }

    public void setSharedScale(boolean shared) {
        node.putBoolean(SHARED_SCALE, shared);
    }

    /** How layer maps reach the image's size; the default (receptive-field centres) when none or unknown is stored. */
    public Upsampling upsampling() {
        String id = node.get(UPSAMPLING, Upsampling.RECEPTIVE_FIELD.id());
        for (Upsampling u : Upsampling.values()) {
            if (u.id().equals(id)) {
                return u;
            }
        }
        return Upsampling.RECEPTIVE_FIELD;
    }

    public void setUpsampling(Upsampling u) {
        node.put(UPSAMPLING, u.id());
    }

    /** The faithfulness protocol of Evaluate last chosen; RISE's when none, or when what is stored is invalid. */
    public FaithfulnessSettings faithfulnessProtocol() {
        double sigma = node.getDouble(PROTOCOL + "blurSigma", 0);
        if (!Double.isFinite(sigma)) {
            return FaithfulnessSettings.RISE;
        }
        try {
            return new FaithfulnessSettings(node.getInt(PROTOCOL + "pixelsPerStep", 0),
                    node.getBoolean(PROTOCOL + "probability", true), sigma);
        } catch (IllegalArgumentException e) {
            return FaithfulnessSettings.RISE;
        }
    }

    public void setFaithfulnessProtocol(FaithfulnessSettings p) {
        node.putInt(PROTOCOL + "pixelsPerStep", p.pixelsPerStep());
        node.putBoolean(PROTOCOL + "probability", p.probability());
        node.putDouble(PROTOCOL + "blurSigma", p.insertionBlurSigma());
    }

    public Optional<String> lastDirectory() {
        return Optional.ofNullable(node.get(LAST_DIR, null));
    }

    public void setLastDirectory(String dir) {
        node.put(LAST_DIR, dir);
    }

    /** Writes to the backing store now (java.util.prefs otherwise flushes lazily, maybe after the JVM is gone). */
    public void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            LOG.warn("could not save preferences: {}", e.getMessage());
        }
    }

    /** Forgets everything (tests, and a "reset layout" command). */
    public void clear() {
        try {
            node.clear();
        } catch (BackingStoreException e) {
            LOG.warn("could not clear preferences: {}", e.getMessage());
        }
    }
}
