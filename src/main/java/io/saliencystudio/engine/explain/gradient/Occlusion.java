package io.saliencystudio.engine.explain.gradient;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Occlusion (Zeiler and Fergus 2014): a square window, all channels, is filled (mean colour = 0 in normalised space,
 * or black) at positions {@code 0, stride, 2 stride, ...} along each axis, plus one flush with the far edge when the
 * stride does not land there, so every pixel is covered at least once. Captum also covers every pixel, differently:
 * its windows start at {@code 0, stride, ...} up to {@code ceil((size - window) / stride) * stride} and the last one
 * is cut at the edge, so the two agree on pixels before {@code size - window} and differ in the far edge band when
 * the stride does not land flush (measured in docs/methods.md, "Conventions"). The score is the class logit; a pixel's attribution is the mean of
 * {@code f_c(x) - f_c(x occluded)} over the windows that cover it: positive where covering the pixel lowers the
 * class score. One forward per window, batched.
 */
public final class Occlusion implements Attribution {

    private static final String WHAT = "Occlusion";

    @Override
    public RawMap compute(AttributionContext context, int image) {
        MethodSettings.Occlusion s = context.settings().occlusion();
        Network network = context.network();
        InputSpec spec = network.input();
        int window = s.windowFor(spec.width(), spec.height());
        int stride = s.strideFor(spec.width(), spec.height());
        float[] fill = Baselines.fillValues(s.fill(), spec, network.preprocessing());
        return attribute(network, context.inputs().get(image), context.targets()[image], window, stride, fill,
                context.progress());
    }

    /**
     * Window positions along an axis of {@code size} pixels for a window of {@code window} (at most {@code size}):
     * every multiple of {@code stride} that keeps the window inside, then {@code size - window} if not already there.
     */
    static int[] positions(int size, int window, int stride) {
        int w = Math.min(window, size);
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p + w <= size; p += stride) {
            out.add(p);
        }
        if (out.get(out.size() - 1) != size - w) {
            out.add(size - w);
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The occlusion map of {@code x} for class {@code target}; {@code fill} holds one value per channel. */
    static RawMap attribute(Network network, float[] x, int target, int window, int stride, float[] fill,
            Progress progress) {
        InputSpec spec = network.input();
        int w = spec.width();
        int h = spec.height();
        int hw = w * h;
        int winX = Math.min(window, w);
        int winY = Math.min(window, h);
        int[] xs = positions(w, winX, stride);
        int[] ys = positions(h, winY, stride);
        int windows = xs.length * ys.length;
        // Item 0 is the unoccluded input, so f_c(x) comes from the same code path as the occluded scores.
        float[] scores = new float[windows + 1];
        Batches.run(windows + 1, network.batchSize(), progress, WHAT, (from, to) -> {
            List<float[]> batch = new ArrayList<>(to - from);
            for (int item = from; item < to; item++) {
                batch.add(item == 0 ? x : occluded(x, spec, fill, xs[(item - 1) % xs.length],
                        ys[(item - 1) / xs.length], winX, winY));
            }
            float[][] logits = network.logits(batch);
            for (int item = from; item < to; item++) {
                scores[item] = logits[item - from][target];
            }
        });
        double[] sum = new double[hw];
        int[] count = new int[hw];
        for (int k = 0; k < windows; k++) {
            int x0 = xs[k % xs.length];
            int y0 = ys[k / xs.length];
            double drop = (double) scores[0] - scores[k + 1];
            for (int y = y0; y < y0 + winY; y++) {
                for (int xx = x0; xx < x0 + winX; xx++) {
                    sum[y * w + xx] += drop;
                    count[y * w + xx]++;
                }
            }
        }
        float[] map = new float[hw];
        for (int p = 0; p < hw; p++) {
            map[p] = (float) (sum[p] / count[p]);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("windowPx", Math.max(winX, winY));
        details.put("stridePx", stride);
        details.put("windows", windows);
        return new RawMap(map, w, h, details);
    }

    private static float[] occluded(float[] x, InputSpec spec, float[] fill, int x0, int y0, int winX, int winY) {
        float[] copy = x.clone();
        int w = spec.width();
        int hw = w * spec.height();
        for (int c = 0; c < spec.channels(); c++) {
            for (int y = y0; y < y0 + winY; y++) {
                java.util.Arrays.fill(copy, c * hw + y * w + x0, c * hw + y * w + x0 + winX, fill[c]);
            }
        }
        return copy;
    }
}
