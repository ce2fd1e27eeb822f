package io.saliencystudio.engine.explain;

import io.saliencystudio.engine.model.AttentionSpec;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.Preprocessing;
import java.util.List;

/**
 * What a method may ask of a loaded model, in plain float arrays. The runtime implements it on the inference thread
 * (DJL stays there); methods are pure Java on top of it, so they can also be tested against a fake network.
 * Inputs are normalised CHW tensors of {@link InputSpec#size()} floats (what the model sees, not pixels).
 * Implementations may split a long list into batches; results come back in input order.
 */
public interface Network {

    InputSpec input();

    /** How pixels became the input (mean/std per channel), e.g. to put a black baseline in normalised space. */
    Preprocessing preprocessing();

    int numClasses();

    /** The preferred number of inputs per forward/backward (memory vs speed). */
    int batchSize();

    /** Pre-softmax logits per input, no autograd. */
    float[][] logits(List<float[]> inputs);

    /**
     * One forward and one backward of {@code sum_i logits[i, targets[i]]}. The arrays asked for are filled, per input:
     * the gradient w.r.t. the input (if {@code inputGradient}), and, if {@code tap} is not null, the tap's activation
     * A and the gradient w.r.t. it (each {@code channels * height * width} floats, CHW). No weight gradients.
     *
     * @param targets class per input; a negative value means the input's top prediction (resolved in the same pass)
     */
    GradientPass gradients(List<float[]> inputs, int[] targets, LayerTap tap, boolean inputGradient);

    /**
     * Logits of one input run once per probe, where each probe (a CHW array of the tap's size) is ADDED to the tap's
     * activation before the rest of the network runs; e.g. {@code -A * onehot(k)} zeroes channel k (Ablation-CAM).
     */
    float[][] logitsWithProbes(float[] input, LayerTap tap, List<float[]> probes);

    /** Whether {@link #logitsFrom} can run the network from this tap on (a cut tap of a model exporting it). */
    default boolean canStartAt(LayerTap tap) {
        return false;
    }

    /**
     * Logits of the rest of the network run on each given activation (a CHW array of the tap's size) as the tap's
     * value: what {@link #logitsWithProbes} computes with probe {@code activation - A}, without recomputing the layers
     * before the tap. Only where {@link #canStartAt} says so.
     */
    default float[][] logitsFrom(LayerTap tap, List<float[]> activations) {
        throw new UnsupportedOperationException("this network cannot start at " + tap.displayName());
    }

    /** The attention maps the model exposes, or null when it exposes none (attention methods are then refused). */
    default AttentionSpec attention() {
        return null;
    }

    /**
     * One forward (and, with {@code gradient}, one backward of {@code logits[target]}) of one input through the
     * model's attention method: every layer's attention probabilities and their gradients. Only where
     * {@link #attention} is not null.
     */
    default AttentionMaps attentionMaps(float[] input, int target, boolean gradient) {
        throw new UnsupportedOperationException("this network exposes no attention maps");
    }
}
