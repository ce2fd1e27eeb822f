package io.saliencystudio.engine.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a model package says about its model (see {@code models/FORMAT.md}). Immutable; built by
 * {@link ManifestReader}.
 *
 * @param attention the attention maps the file exposes, or null (older packages, models that are not ViTs)
 * @param provenance free-form facts about how the model was made (architecture, data, accuracy...), as JSON values
 */
public record ModelManifest(
        String id,
        String name,
        String description,
        String file,
        String sha256,
        String labelsFile,
        InputSpec input,
        Preprocessing preprocessing,
        List<LayerTap> taps,
        String defaultLayer,
        String forwardMethod,
        String tapMethod,
        Map<String, Object> provenance,
        AttentionSpec attention) {

    /** A manifest without attention maps (every package before they were exported, every non-ViT). */
    public ModelManifest(String id, String name, String description, String file, String sha256, String labelsFile,
            InputSpec input, Preprocessing preprocessing, List<LayerTap> taps, String defaultLayer,
            String forwardMethod, String tapMethod, Map<String, Object> provenance) {
        this(id, name, description, file, sha256, labelsFile, input, preprocessing, taps, defaultLayer, forwardMethod,
                tapMethod, provenance, null);
    }

    public ModelManifest {
        taps = List.copyOf(taps);
        // JSON nulls are legal provenance values, which Map.copyOf refuses.
        provenance = provenance == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provenance));
    }

    /** Whether the manifest declares attention maps ({@link AttentionSpec}); the file must also export the method. */
    public boolean hasAttention() {
        return attention != null;
    }

    public boolean hasTaps() {
        return !taps.isEmpty() && tapMethod != null;
    }

    /** The tap a module path names, if any. */
    public Optional<LayerTap> tap(String layerName) {
        return taps.stream().filter(t -> t.hasName(layerName)).findFirst();
    }

    /**
     * The tap a module path names.
     *
     * @throws IllegalArgumentException naming the valid layers when there is none
     */
    public LayerTap requireTap(String layerName) {
        return tap(layerName).orElseThrow(() -> new IllegalArgumentException("Model '" + id + "' has no layer '"
                + layerName + "'. Valid layers: " + String.join(", ", layerNames())));
    }

    /**
     * The tap a module path names, for a layer method: it must have a spatial grid.
     *
     * @throws IllegalArgumentException naming the valid layers when there is none, or saying why the tap has no grid
     */
    public LayerTap requireSpatialTap(String layerName) {
        LayerTap tap = requireTap(layerName);
        if (!tap.spatial()) {
            throw new IllegalArgumentException("Layer '" + layerName + "' of model '" + id + "' cannot be used by "
                    + "layer methods: " + tap.layout().unavailableReason() + ". Layers with a grid: "
                    + String.join(", ", spatialLayerNames()));
        }
        return tap;
    }

    /** The names of taps with a spatial grid, in graph order. */
    public List<String> spatialLayerNames() {
        return taps.stream().filter(LayerTap::spatial).flatMap(t -> t.names().stream()).toList();
    }

    /** All names a user may type for a layer, in graph order. */
    public List<String> layerNames() {
        return taps.stream().flatMap(t -> t.names().stream()).toList();
    }

    /** The manifest with a different id and sha256 (a bare .pt gets its id from its file name). */
    ModelManifest withIdentity(String newId, String newSha256) {
        return new ModelManifest(newId, name, description, file, newSha256, labelsFile, input, preprocessing, taps,
                defaultLayer, forwardMethod, tapMethod, provenance, attention);
    }
}
