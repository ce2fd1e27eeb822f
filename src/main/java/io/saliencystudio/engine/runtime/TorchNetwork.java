package io.saliencystudio.engine.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.training.GradientCollector;
import io.saliencystudio.engine.explain.AttentionMaps;
import io.saliencystudio.engine.explain.GradientPass;
import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.model.AttentionSpec;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.TapLayout;
import io.saliencystudio.engine.model.Preprocessing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A {@link LoadedModel} seen as a {@link Network}: the model's {@code forward_tap} adds a "probe" to the tapped
 * activation; the gradient of the class score lands in the probe (the gradient w.r.t. the activation) and, when the
 * input requires grad, in the input. One forward and one backward per batch, no weight gradients. Every call runs on
 * the inference thread and allocates its native arrays in a sub-manager closed before it returns.
 */
final class TorchNetwork implements Network {

    private final LoadedModel model;
    private final int batchSize;

    TorchNetwork(LoadedModel model, int batchSize) {
        InferenceThread.checkCurrent();
        this.model = model;
        this.batchSize = Math.max(1, batchSize);
    }

    @Override
    public InputSpec input() {
        return model.manifest().input();
    }

    @Override
    public Preprocessing preprocessing() {
        return model.manifest().preprocessing();
    }

    @Override
    public int numClasses() {
        return model.numClasses();
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public float[][] logits(List<float[]> inputs) {
        InferenceThread.checkCurrent();
        float[][] out = new float[inputs.size()][];
        for (int from = 0; from < inputs.size(); from += batchSize) {
            List<float[]> chunk = inputs.subList(from, Math.min(inputs.size(), from + batchSize));
            InferenceThread.checkNotExiting();
        try (NDManager m = model.newRequestManager()) {
                NDList result = IValueUtils.forward(model.block(), new NDList(stack(m, chunk)), false);
                copyRows(LoadedModel.rows(result.get(0).toFloatArray(), chunk.size(), numClasses()), out, from);
            } catch (ai.djl.engine.EngineException e) {
                throw new EngineException("The model failed on this input: " + LoadedModel.firstLine(e), e);
            }
        }
        return out;
    }

    @Override
    public GradientPass gradients(List<float[]> inputs, int[] targets, LayerTap tap, boolean inputGradient) {
        InferenceThread.checkCurrent();
        int n = inputs.size();
        GradientPass all = new GradientPass(new float[n][], new int[n], inputGradient ? new float[n][] : null,
                tap != null ? new float[n][] : null, tap != null ? new float[n][] : null);
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            GradientPass part = gradientBatch(inputs.subList(from, to), Arrays.copyOfRange(targets, from, to), tap,
                    inputGradient);
            copyRows(part.logits(), all.logits(), from);
            System.arraycopy(part.targets(), 0, all.targets(), from, to - from);
            copyRows(part.inputGradients(), all.inputGradients(), from);
            copyRows(part.activations(), all.activations(), from);
            copyRows(part.activationGradients(), all.activationGradients(), from);
        }
        return all;
    }

    private GradientPass gradientBatch(List<float[]> inputs, int[] asked, LayerTap tap, boolean inputGradient) {
        int n = inputs.size();
        int k = numClasses();
        InferenceThread.checkNotExiting();
        try (NDManager m = model.newRequestManager()) {
            NDArray x = stack(m, inputs);
            x.setRequiresGradient(inputGradient);
            NDList args = new NDList(x);
            NDArray probe = null;
            if (tap != null) {
                probe = m.zeros(batchShape(n, tap));
                probe.setRequiresGradient(true);
                addTapArguments(m, args, tap, probe);
            }
            float[][] logits;
            int[] targets = new int[n];
            NDArray activation;
            try (GradientCollector collector = TorchRuntime.engine().newGradientCollector()) {
                NDList out = IValueUtils.forward(model.block(), args, true);
                NDArray logitArray = out.get(0);
                activation = tap != null ? out.get(1) : null;
                logits = LoadedModel.rows(logitArray.toFloatArray(), n, k);
                float[] select = new float[n * k];
                for (int i = 0; i < n; i++) {
                    targets[i] = asked[i] < 0 ? Prediction.fromLogits(logits[i], c -> "").top1() : asked[i];
                    if (targets[i] >= k) {
                        throw new EngineException("class " + targets[i] + " is out of range: the model has " + k
                                + " classes (0.." + (k - 1) + ")");
                    }
                    select[i * k + targets[i]] = 1f;
                }
                // Per-image scores are independent in eval mode, so one backward of their sum gives every
                // image the gradient of its own target logit.
                // With neither a tap nor an input gradient (a request of multi-pass methods only, which needs just
                // the logits and resolved targets) nothing requires grad, and a backward would fail.
                if (tap != null || inputGradient) {
                    NDArray score = logitArray.mul(m.create(select, new Shape(n, k))).sum();
                    collector.backward(score);
                }
            } catch (ai.djl.engine.EngineException e) {
                throw new EngineException("The model failed while explaining: " + LoadedModel.firstLine(e), e);
            }
            float[][] inputGrads = inputGradient ? split(x.getGradient().toFloatArray(), n) : null;
            float[][] acts = tap != null ? toChw(tap, split(activation.toFloatArray(), n)) : null;
            float[][] actGrads = tap != null ? toChw(tap, split(probe.getGradient().toFloatArray(), n)) : null;
            return new GradientPass(logits, targets, inputGrads, acts, actGrads);
        }
    }

    @Override
    public float[][] logitsWithProbes(float[] input, LayerTap tap, List<float[]> probes) {
        InferenceThread.checkCurrent();
        float[][] out = new float[probes.size()][];
        for (int from = 0; from < probes.size(); from += batchSize) {
            List<float[]> chunk = probes.subList(from, Math.min(probes.size(), from + batchSize));
            InferenceThread.checkNotExiting();
            try (NDManager m = model.newRequestManager()) {
                NDArray x = stack(m, java.util.Collections.nCopies(chunk.size(), input));
                NDList args = new NDList(x);
                addTapArguments(m, args, tap, tapBatch(m, tap, chunk));
                NDList result = IValueUtils.forward(model.block(), args, false);
                copyRows(LoadedModel.rows(result.get(0).toFloatArray(), chunk.size(), numClasses()), out, from);
            } catch (ai.djl.engine.EngineException e) {
                throw new EngineException("The model failed with a probe at " + tap.displayName() + ": "
                        + LoadedModel.firstLine(e), e);
            }
        }
        return out;
    }

    @Override
    public boolean canStartAt(LayerTap tap) {
        return model.canStartAt(tap);
    }

    @Override
    public float[][] logitsFrom(LayerTap tap, List<float[]> activations) {
        InferenceThread.checkCurrent();
        if (!canStartAt(tap)) {
            throw new EngineException("the model cannot be run from " + tap.displayName() + " on");
        }
        float[][] out = new float[activations.size()][];
        for (int from = 0; from < activations.size(); from += batchSize) {
            List<float[]> chunk = activations.subList(from, Math.min(activations.size(), from + batchSize));
            InferenceThread.checkNotExiting();
            try (NDManager m = model.newRequestManager()) {
                NDList args = new NDList(m.create((long) tap.index()), tapBatch(m, tap, chunk));
                NDArray method = m.create(0f);
                method.setName("module_method:" + LoadedModel.FROM_METHOD);
                args.add(method);
                NDList result = IValueUtils.forward(model.block(), args, false);
                copyRows(LoadedModel.rows(result.get(0).toFloatArray(), chunk.size(), numClasses()), out, from);
            } catch (ai.djl.engine.EngineException e) {
                throw new EngineException("The model failed when run from " + tap.displayName() + ": "
                        + LoadedModel.firstLine(e), e);
            }
        }
        return out;
    }

    @Override
    public AttentionSpec attention() {
        return model.hasAttention() ? model.manifest().attention() : null;
    }

    @Override
    public AttentionMaps attentionMaps(float[] input, int target, boolean gradient) {
        InferenceThread.checkCurrent();
        AttentionSpec spec = attention();
        if (spec == null) {
            throw new EngineException("Model '" + model.manifest().id() + "' exposes no attention maps");
        }
        InferenceThread.checkNotExiting();
        try (NDManager m = model.newRequestManager()) {
            NDArray x = stack(m, List.of(input));
            NDArray probe = m.zeros(new Shape(1, spec.layers(), spec.heads(), spec.tokens(), spec.tokens()));
            probe.setRequiresGradient(gradient);
            NDArray method = m.create(0f);
            method.setName("module_method:" + spec.method());
            NDList args = new NDList(x, probe, method);
            float[] maps;
            try (GradientCollector collector = TorchRuntime.engine().newGradientCollector()) {
                NDList out = IValueUtils.forward(model.block(), args, gradient);
                maps = out.get(1).toFloatArray();
                if (gradient) {
                    if (target < 0 || target >= numClasses()) {
                        throw new EngineException("class " + target + " is out of range: the model has "
                                + numClasses() + " classes");
                    }
                    collector.backward(out.get(0).get(0, target));
                }
            } catch (ai.djl.engine.EngineException e) {
                throw new EngineException("The model failed computing attention maps: " + LoadedModel.firstLine(e),
                        e);
            }
            return new AttentionMaps(spec, maps, gradient ? probe.getGradient().toFloatArray() : null);
        }
    }

    /**
     * (C, H, W) arrays of the tap's size as one batch in the tap's own layout (NCHW, NHWC or tokens; leading tokens
     * zero, which is what a probe adds there).
     */
    private static NDArray tapBatch(NDManager m, LayerTap tap, List<float[]> arrays) {
        TapLayout layout = tap.layout();
        int size = layout.rawSize();
        float[] flat = new float[arrays.size() * size];
        for (int i = 0; i < arrays.size(); i++) {
            System.arraycopy(layout.fromChw(arrays.get(i), null), 0, flat, i * size, size);
        }
        return m.create(flat, batchShape(arrays.size(), tap));
    }

    /** (N, ...) with the tap tensor's own shape after the batch axis. */
    private static Shape batchShape(int n, LayerTap tap) {
        int[] shape = tap.layout().shape();
        long[] dims = new long[shape.length + 1];
        dims[0] = n;
        for (int i = 0; i < shape.length; i++) {
            dims[i + 1] = shape[i];
        }
        return new Shape(dims);
    }

    /** Per-image tap tensors in the tap's layout, as the (C, H, W) arrays layer methods read. */
    private static float[][] toChw(LayerTap tap, float[][] raw) {
        float[][] out = new float[raw.length][];
        for (int i = 0; i < raw.length; i++) {
            out[i] = tap.layout().toChw(raw[i]);
        }
        return out;
    }

    private void addTapArguments(NDManager m, NDList args, LayerTap tap, NDArray probe) {
        args.add(m.create((long) tap.index()));
        args.add(probe);
        NDArray method = m.create(0f);
        method.setName("module_method:" + model.manifest().tapMethod());
        args.add(method);
    }

    private NDArray stack(NDManager m, List<float[]> inputs) {
        InputSpec spec = input();
        float[] flat = new float[inputs.size() * spec.size()];
        for (int i = 0; i < inputs.size(); i++) {
            float[] t = inputs.get(i);
            if (t.length != spec.size()) {
                throw new EngineException("an input of " + t.length + " values does not fit the model's input " + spec);
            }
            System.arraycopy(t, 0, flat, i * spec.size(), spec.size());
        }
        return m.create(flat, new Shape(inputs.size(), spec.channels(), spec.height(), spec.width()));
    }

    private static float[][] split(float[] flat, int n) {
        int each = flat.length / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * each, (i + 1) * each);
        }
        return out;
    }

    private static void copyRows(float[][] part, float[][] all, int from) {
        if (part != null) {
            System.arraycopy(part, 0, all, from, part.length);
        }
    }

    static List<float[]> tensors(List<io.saliencystudio.engine.image.ModelInput> inputs) {
        List<float[]> out = new ArrayList<>();
        inputs.forEach(in -> out.add(in.tensor()));
        return out;
    }
}
