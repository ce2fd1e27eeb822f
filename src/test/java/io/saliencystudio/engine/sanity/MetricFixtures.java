package io.saliencystudio.engine.sanity;

/** The integer-built arrays of src/test/python/sanity_metrics_reference.py, rebuilt bit for bit. */
final class MetricFixtures {

    private MetricFixtures() {}

    static float[] ramp(int n, int mul, int add, int mod, double div) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) (((long) i * mul + add) % mod / div);
        }
        return out;
    }

    static float[] grid(int w, int h, int mulR, int mulC, int add, int mod, double div) {
        float[] out = new float[w * h];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                out[r * w + c] = (float) (((long) r * mulR + (long) c * mulC + (r * c) % 7 + add) % mod / div);
            }
        }
        return out;
    }
}
