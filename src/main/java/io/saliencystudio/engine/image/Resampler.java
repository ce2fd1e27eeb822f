package io.saliencystudio.engine.image;

/**
 * Bilinear resizing in the way PIL's {@code Image.resize(BILINEAR)} does it (and so torchvision's Resize on PIL
 * images): a separable triangle filter whose support widens when shrinking, so downscaling averages rather than
 * aliases. Pixel centres sit at half-integer positions.
 */
public final class Resampler {

    private Resampler() {}

    public static RgbImage resize(RgbImage src, int width, int height) {
        if (src.width() == width && src.height() == height) {
            return src;
        }
        float[] horizontal = pass(src.data(), src.width(), src.height(), width, true);
        float[] both = pass(horizontal, width, src.height(), height, false);
        return new RgbImage(width, height, both);
    }

    /** Crops a {@code width x height} window at (x0, y0). */
    public static RgbImage crop(RgbImage src, int x0, int y0, int width, int height) {
        float[] out = new float[width * height * 3];
        for (int y = 0; y < height; y++) {
            System.arraycopy(src.data(), ((y0 + y) * src.width() + x0) * 3, out, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, out);
    }

    /** One separable pass along x ({@code alongX}) or y, from {@code inSize} to {@code outSize} samples. */
    private static float[] pass(float[] in, int w, int h, int outSize, boolean alongX) {
        int inSize = alongX ? w : h;
        if (inSize == outSize) {
            return in;
        }
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale; // triangle filter has radius 1
        int[] first = new int[outSize];
        double[][] weights = new double[outSize][];
        for (int o = 0; o < outSize; o++) {
            double centre = (o + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(centre - support + 0.5));
            int hi = Math.min(inSize, (int) Math.floor(centre + support + 0.5));
            double[] k = new double[Math.max(hi - lo, 1)];
            double sum = 0;
            for (int i = lo; i < hi; i++) {
                double t = Math.abs((i - centre + 0.5) / filterScale);
                double v = t < 1 ? 1 - t : 0;
                k[i - lo] = v;
                sum += v;
            }
            if (sum > 0) {
                for (int i = 0; i < k.length; i++) {
                    k[i] /= sum;
                }
            }
            first[o] = lo;
            weights[o] = k;
        }
        int ow = alongX ? outSize : w;
        int oh = alongX ? h : outSize;
        float[] out = new float[ow * oh * 3];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int o = alongX ? x : y;
                double[] k = weights[o];
                double r = 0;
                double g = 0;
                double b = 0;
                for (int i = 0; i < k.length; i++) {
                    int s = first[o] + i;
                    int idx = alongX ? (y * w + s) * 3 : (s * w + x) * 3;
                    r += k[i] * in[idx];
                    g += k[i] * in[idx + 1];
                    b += k[i] * in[idx + 2];
                }
                int d = (y * ow + x) * 3;
                out[d] = (float) r;
                out[d + 1] = (float) g;
                out[d + 2] = (float) b;
            }
        }
        return out;
    }
}
