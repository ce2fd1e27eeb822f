package io.saliencystudio.app.service;

/** A small preview as packed ARGB pixels; turned into a JavaFX image by the view. */
public record Thumbnail(int width, int height, int[] argb, int sourceWidth, int sourceHeight) {}
