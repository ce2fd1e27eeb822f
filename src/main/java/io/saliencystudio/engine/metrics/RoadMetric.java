package io.saliencystudio.engine.metrics;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.model.InputSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Computes {@link Road} as pytorch-grad-cam's {@code ROADMostRelevantFirst} / {@code ROADLeastRelevantFirst} do, so
 * numbers can be compared with it:
 * <ul>
 *   <li>the map's normalised values {@code v} (in [0, 1]) rank the pixels; for removal fraction {@code f}, MoRF
 *       removes the pixels with {@code v >= percentile(v, 100 (1 - f))} and LeRF those with
 *       {@code 1 - v >= percentile(1 - v, 100 (1 - f))} (numpy's linear percentile; ties are all removed, so the
 *       removed share can exceed {@code f}). pytorch-grad-cam's "percentile p" is this with {@code f = 1 - p / 100};</li>
 *   <li>removed pixels, all channels, are imputed in normalised input space with noise of standard deviation
 *       {@link Settings#noise} (0.01, the library's default), seeded so a run is reproducible;</li>
 *   <li>the score is the softmax probability of the class (or its logit), like the deletion/insertion protocol.</li>
 * </ul>
 * Runs on the thread that owns the network.
 */
public final class RoadMetric {

    /** The removal fractions of pytorch-grad-cam's ROAD averagers (its percentiles 10..90). */
    public static final double[] FRACTIONS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    /**
     * @param noise standard deviation of the imputation noise, in normalised input units
     * @param seed seed of that noise
     * @param probability score with the softmax probability (else the logit)
     */
    public record Settings(double noise, long seed, boolean probability) {

        public static final Settings DEFAULT = new Settings(0.01, 0, true);

        public Settings {
            if (!(noise >= 0)) {
                throw new IllegalArgumentException("ROAD noise must not be negative");
            }
        }
    }

    private RoadMetric() {}

    public static Road evaluate(Network network, float[] input, int target, Heatmap map, Settings settings,
            Progress progress) {
        InputSpec spec = network.input();
        if (map.width() != spec.width() || map.height() != spec.height()) {
            throw new IllegalArgumentException("the map is " + map.width() + "x" + map.height() + " but the input is "
                    + spec.width() + "x" + spec.height() + ": give the map at input resolution");
        }
        Random random = new Random(settings.seed());
        List<float[]> images = new ArrayList<>();
        images.add(input);
        for (double f : FRACTIONS) {
            for (boolean mostRelevant : new boolean[] {true, false}) {
                boolean[] removed = removed(map.values(), f, mostRelevant);
                images.add(LinearImputation.impute(input, spec.channels(), spec.height(), spec.width(), removed,
                        settings.noise(), random));
            }
        }
        double[] scores = new double[images.size()];
        int batch = Math.max(1, network.batchSize());
        progress.advance(0, images.size(), "ROAD");
        for (int from = 0; from < images.size(); from += batch) {
            float[][] logits = network.logits(images.subList(from, Math.min(images.size(), from + batch)));
            for (int i = 0; i < logits.length; i++) {
                scores[from + i] = FaithfulnessMetrics.score(logits[i], target, settings.probability());
            }
            progress.advance(Math.min(images.size(), from + batch), images.size(), "ROAD");
        }
        double[] morf = new double[FRACTIONS.length];
        double[] lerf = new double[FRACTIONS.length];
        for (int i = 0; i < FRACTIONS.length; i++) {
            morf[i] = scores[1 + 2 * i];
            lerf[i] = scores[2 + 2 * i];
        }
        return new Road(FRACTIONS, morf, lerf, scores[0]);
    }

    /** The pixels ROAD removes at fraction {@code f}, most or least relevant first (see the class comment). */
    public static boolean[] removed(float[] values, double f, boolean mostRelevantFirst) {
        float[] v = values.clone();
        if (!mostRelevantFirst) {
            for (int i = 0; i < v.length; i++) {
                v[i] = 1f - v[i];
            }
        }
        // The library keeps the pixels below the threshold, comparing in float32.
        float threshold = (float) percentile(v, 100 * (1 - f));
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = !(v[i] < threshold);
        }
        return out;
    }

    /** numpy's default ("linear") percentile, {@code q} in [0, 100], computed in double like numpy does. */
    static double percentile(float[] values, double q) {
        double[] sorted = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            sorted[i] = values[i];
        }
        Arrays.sort(sorted);
        double virtual = q / 100 * (sorted.length - 1);
        int lo = (int) Math.floor(virtual);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double t = virtual - lo;
        double a = sorted[lo];
        double b = sorted[hi];
        double diff = b - a;
        // numpy's _lerp: from the nearer end, so t = 1 gives b exactly.
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }
}
