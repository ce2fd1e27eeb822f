package io.saliencystudio.app.prefs;

/** Window position and size; {@code x}/{@code y} are NaN when unknown (let the platform centre the window). */
public record WindowBounds(double x, double y, double width, double height, boolean maximized) {}
