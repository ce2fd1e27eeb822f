package io.saliencystudio.engine.image;

/** EXIF orientation (tag 274, values 1-8): turns a stored image upright. */
final class Orientation {

    private Orientation() {}

    static RgbImage apply(RgbImage src, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return src;
        }
        boolean swap = orientation >= 5;
        int w = src.width();
        int h = src.height();
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        float[] out = new float[ow * oh * 3];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }          // mirror horizontal
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }  // rotate 180
                    case 4 -> { sx = x; sy = h - 1 - y; }          // mirror vertical
                    case 5 -> { sx = y; sy = x; }                  // transpose
                    case 6 -> { sx = y; sy = h - 1 - x; }          // rotate 90 clockwise
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }  // transverse
                    default -> { sx = w - 1 - y; sy = x; }         // 8: rotate 270 clockwise
                }
                System.arraycopy(src.data(), (sy * w + sx) * 3, out, (y * ow + x) * 3, 3);
            }
        }
        return new RgbImage(ow, oh, out);
    }
}
