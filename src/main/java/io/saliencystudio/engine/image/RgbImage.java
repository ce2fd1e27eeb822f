package io.saliencystudio.engine.image;

/**
 * A decoded image as floating-point RGB in [0, 255], interleaved row-major ({@code r, g, b} per pixel). Floats keep
 * 16-bit sources exact enough and let resizing and blending avoid rounding to 8 bits in between.
 */
public record RgbImage(int width, int height, float[] data) {

    public RgbImage {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
        if (data.length != width * height * 3) {
            throw new IllegalArgumentException("expected " + width * height * 3 + " values, got " + data.length);
        }
    }

    public static RgbImage blank(int width, int height) {
        return new RgbImage(width, height, new float[width * height * 3]);
    }

    public float get(int x, int y, int channel) {
        return data[(y * width + x) * 3 + channel];
    }
}
