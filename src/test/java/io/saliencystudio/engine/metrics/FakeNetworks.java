package io.saliencystudio.engine.metrics;

import io.saliencystudio.engine.explain.GradientPass;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.Preprocessing;
import java.util.ArrayList;
import java.util.List;

/** A network whose class-0 logit is the mean of its input (class 1 is 0): curves follow by hand. */
final class FakeNetworks {

    private FakeNetworks() {}

    static final class MeanNetwork implements Network {
        final InputSpec spec;
        final int batch;
        final List<Integer> calls = new ArrayList<>();

        MeanNetwork(int channels, int height, int width, int batch) {
            this.spec = new InputSpec(channels, height, width,
                    channels == 1 ? InputSpec.ColorMode.GRAY : InputSpec.ColorMode.RGB);
            this.batch = batch;
        }

        @Override
        public InputSpec input() {
            return spec;
        }

        @Override
        public Preprocessing preprocessing() {
            double[] half = new double[spec.channels()];
            java.util.Arrays.fill(half, 0.5);
            return new Preprocessing(Preprocessing.ResizePolicy.STRETCH, null, 255, half, half);
        }

        @Override
        public int numClasses() {
            return 2;
        }

        @Override
        public int batchSize() {
            return batch;
        }

        @Override
        public float[][] logits(List<float[]> inputs) {
            calls.add(inputs.size());
            float[][] out = new float[inputs.size()][];
            for (int i = 0; i < out.length; i++) {
                double sum = 0;
                for (float v : inputs.get(i)) {
                    sum += v;
                }
                out[i] = new float[] {(float) (sum / inputs.get(i).length), 0f};
            }
            return out;
        }

        @Override
        public GradientPass gradients(List<float[]> inputs, int[] targets, LayerTap tap, boolean inputGradient) {
            throw new UnsupportedOperationException("metrics need forwards only");
        }

        @Override
        public float[][] logitsWithProbes(float[] input, LayerTap tap, List<float[]> probes) {
            throw new UnsupportedOperationException("metrics need forwards only");
        }
    }
}
