package io.saliencystudio.engine.explain;

/**
 * One method's map for one image.
 *
 * @param map the map at the input resolution (what is overlaid)
 * @param layerMap for layer methods, the map at the layer's resolution before upsampling; {@code null} otherwise
 * @param layer the tap name for layer methods, {@code null} otherwise
 * @param millis time spent on this batch's pass divided among its images and methods
 */
public record MethodResult(Method method, Heatmap map, Heatmap layerMap, String layer, double millis) {}
