package io.saliencystudio.engine.explain;

import java.util.Map;

/**
 * A method's map before normalisation, row-major {@code width * height}.
 *
 * @param details what the method wants recorded next to the map (e.g. Integrated Gradients' completeness gap,
 *     Score-CAM's skipped channels); JSON-friendly values only
 */
public record RawMap(float[] values, int width, int height, Map<String, Object> details) {

    public RawMap {
        if (values.length != width * height) {
            throw new IllegalArgumentException("raw map must hold " + width * height + " values, got " + values.length);
        }
        details = Map.copyOf(details);
    }

    public RawMap(float[] values, int width, int height) {
        this(values, width, height, Map.of());
    }
}
