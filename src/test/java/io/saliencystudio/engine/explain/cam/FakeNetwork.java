package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.GradientPass;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.Preprocessing;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A network made of plain functions, for testing the CAM maths without a model: logits of an input, logits of a
 * (probed) tap activation, and one fixed activation/gradient pair. It records what it was asked.
 */
final class FakeNetwork implements Network {

    final List<float[]> seenInputs = new ArrayList<>();
    final List<float[]> seenProbes = new ArrayList<>();
    final List<Integer> batches = new ArrayList<>();
    int gradientCalls;

    private final InputSpec spec;
    private final int classes;
    private final int batchSize;
    private final Function<float[], float[]> logitsOfInput;
    private final Function<float[], float[]> logitsOfActivation;
    private final float[] activation;
    private final float[] gradient;

    FakeNetwork(InputSpec spec, int classes, int batchSize, Function<float[], float[]> logitsOfInput,
            Function<float[], float[]> logitsOfActivation, float[] activation, float[] gradient) {
        this.spec = spec;
        this.classes = classes;
        this.batchSize = batchSize;
        this.logitsOfInput = logitsOfInput;
        this.logitsOfActivation = logitsOfActivation;
        this.activation = activation;
        this.gradient = gradient;
    }

    @Override
    public InputSpec input() {
        return spec;
    }

    @Override
    public Preprocessing preprocessing() {
        return null;
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public float[][] logits(List<float[]> inputs) {
        batches.add(inputs.size());
        seenInputs.addAll(inputs);
        return inputs.stream().map(logitsOfInput).toArray(float[][]::new);
    }

    @Override
    public GradientPass gradients(List<float[]> inputs, int[] targets, LayerTap tap, boolean inputGradient) {
        gradientCalls++;
        int n = inputs.size();
        float[][] logits = inputs.stream().map(logitsOfInput).toArray(float[][]::new);
        float[][] acts = new float[n][];
        float[][] grads = new float[n][];
        for (int i = 0; i < n; i++) {
            acts[i] = activation.clone();
            grads[i] = gradient.clone();
        }
        return new GradientPass(logits, targets.clone(), null, tap != null ? acts : null, tap != null ? grads : null);
    }

    @Override
    public float[][] logitsWithProbes(float[] input, LayerTap tap, List<float[]> probes) {
        batches.add(probes.size());
        seenProbes.addAll(probes);
        float[][] out = new float[probes.size()][];
        for (int i = 0; i < probes.size(); i++) {
            float[] probed = activation.clone();
            for (int j = 0; j < probed.length; j++) {
                probed[j] += probes.get(i)[j];
            }
            out[i] = logitsOfActivation.apply(probed);
        }
        return out;
    }
}
