package io.saliencystudio.engine.explain;

/** A class with its logit and softmax probability for one image. */
public record ClassScore(int index, String label, float logit, double probability) {}
