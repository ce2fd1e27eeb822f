package io.saliencystudio.engine.model;

/**
 * The tensor a model takes for one image: channels, height, width and how colour is reduced to those channels.
 */
public record InputSpec(int channels, int height, int width, ColorMode colorMode) {

    public InputSpec {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input shape must be positive, got " + channels + "," + height + "," + width);
        }
        if (colorMode == null) {
            colorMode = channels == 1 ? ColorMode.GRAY : ColorMode.RGB;
        }
        if (colorMode.channels() != channels) {
            throw new IllegalArgumentException("colour mode " + colorMode + " gives " + colorMode.channels()
                    + " channels but the input has " + channels);
        }
    }

    /** Number of floats in one image's tensor. */
    public int size() {
        return channels * height * width;
    }

    /** "C,H,W" as users type it on the command line and as the export tool prints it. */
    @Override
    public String toString() {
        return channels + "," + height + "," + width;
    }

    /** How decoded pixels become model channels. */
    public enum ColorMode {
        RGB(3),
        /** ITU-R 601 luma, as PIL's {@code convert("L")} computes it. */
        GRAY(1);

        private final int channels;

        ColorMode(int channels) {
            this.channels = channels;
        }

        public int channels() {
            return channels;
        }
    }
}
