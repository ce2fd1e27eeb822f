package io.saliencystudio.engine.explain;

/**
 * One method's algorithm: a raw map for one image. Layer methods return a map at the tap's resolution (after their
 * own ReLU, before normalisation); pixel methods a map at the input's resolution (signed for signed methods).
 * Normalisation and upsampling are done once, by {@link Explainer}, so every method is displayed alike.
 */
public interface Attribution {

    RawMap compute(AttributionContext context, int image);
}
