package io.saliencystudio.engine.explain;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** The model's output for one image: all logits, softmax probabilities, and the ranking. */
public record Prediction(float[] logits, double[] probabilities, IntFunction<String> labels) {

    public static Prediction fromLogits(float[] logits, IntFunction<String> labels) {
        return new Prediction(logits, softmax(logits), labels);
    }

    /** Softmax in double with the max subtracted (no overflow). */
    public static double[] softmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        double[] p = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = Math.exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /** Softmax probability of {@code target} alone, in double with the max subtracted (no overflow), as above. */
    public static double probability(float[] logits, int target) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        return Math.exp(logits[target] - max) / sum;
    }

    public int numClasses() {
        return logits.length;
    }

    /** Index of the highest logit (first on ties). */
    public int top1() {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    /** The k best classes, best first; ties keep the lower index first. */
    public List<ClassScore> top(int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < logits.length; i++) {
            order.add(i);
        }
        order.sort((a, b) -> logits[a] != logits[b] ? Float.compare(logits[b], logits[a]) : Integer.compare(a, b));
        return order.subList(0, Math.min(k, order.size())).stream().map(this::score).toList();
    }

    public ClassScore score(int index) {
        return new ClassScore(index, labels.apply(index), logits[index], probabilities[index]);
    }
}
