package io.saliencystudio.engine.explain;

/**
 * One method's map for one image.
 *
 * @param map the map at the input resolution (what is overlaid)
 * @param layerMap for layer methods, the map at the layer's resolution before upsampling; {@code null} otherwise
 * @param layer the tap name for layer methods, {@code null} otherwise
 * @param millis time spent on this batch's pass divided among its images and methods
 * @param details the settings used and anything the method reports (see {@link MethodSettings#describe},
 *     {@link RawMap#details}), for metadata
 */
public record MethodResult(Method method, Heatmap map, Heatmap layerMap, String layer, double millis,
        java.util.Map<String, Object> details) {

    public MethodResult {
        details = details == null ? java.util.Map.of() : java.util.Map.copyOf(details);
    }

    public MethodResult(Method method, Heatmap map, Heatmap layerMap, String layer, double millis) {
        this(method, map, layerMap, layer, millis, java.util.Map.of());
    }

    public boolean signed() {
        return method.signed();
    }
}
