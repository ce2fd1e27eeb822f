package io.saliencystudio.engine.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.saliencystudio.engine.model.ModelManifest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The convolution -> BatchNorm pairs an export folded into one convolution ({@code provenance.batchNormFolds},
 * models/FORMAT.md), so that randomising parameters means on a folded export what it means on the unfolded one.
 *
 * <p>A folded export keeps each pair's BatchNorm values at the BatchNorm's own path (a {@code FoldedBatchNorm}: its
 * {@code weight} and {@code bias} are parameters under the same names as in the unfolded export; its running
 * statistics are parameters there only so that they can be read here). The parameters the sanity check sees are
 * the unfolded network's: the folded convolution's {@code weight} stands for the pair's <em>logical</em> convolution
 * weight {@code W}, its {@code bias} for the logical bias {@code b} (hidden when the convolution had none, like the
 * statistics). Randomising draws into {@code W} and {@code b} (kept here, recovered from the folded values the first
 * time a pair is touched, while its BatchNorm is still the trained one) and into the BatchNorm's parameters in
 * place, in the unfolded export's order and with the same statistics, so the same seed draws the same numbers; then
 * each touched pair's convolution is rewritten as {@code W * scale} and {@code b * scale + shift} from the current
 * BatchNorm. The taps at a folded convolution's output read scale and shift from the same parameters at run time.
 * Only for the sanity check's private copy; everything here runs on the inference thread.
 */
final class FoldedPairs implements AutoCloseable {

    /** One folded pair, module paths below the export's wrapper ({@code net.}). */
    record Pair(String conv, String batchNorm, boolean convBias, boolean affine, float eps) {}

    static final String WRAPPER = "net.";

    private final List<Pair> pairs;
    private final Map<String, Pair> byParameter = new HashMap<>();
    private final Set<String> hidden = new HashSet<>();
    private final Map<Pair, NDArray[]> logical = new HashMap<>();
    private NDManager manager;

    private FoldedPairs(List<Pair> pairs) {
        this.pairs = List.copyOf(pairs);
        for (Pair p : pairs) {
            byParameter.put(WRAPPER + p.conv() + ".weight", p);
            if (p.convBias()) {
                byParameter.put(WRAPPER + p.conv() + ".bias", p);
            } else {
                hidden.add(WRAPPER + p.conv() + ".bias");
            }
            if (p.affine()) {
                byParameter.put(WRAPPER + p.batchNorm() + ".weight", p);
                byParameter.put(WRAPPER + p.batchNorm() + ".bias", p);
            }
            hidden.add(WRAPPER + p.batchNorm() + ".running_mean");
            hidden.add(WRAPPER + p.batchNorm() + ".running_var");
        }
    }

    /** The manifest's record of folded pairs; none for unfolded exports and for folded ones made before it. */
    static FoldedPairs of(ModelManifest manifest) {
        List<Pair> out = new ArrayList<>();
        if (manifest.provenance().get("batchNormFolds") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && m.get("conv") instanceof String conv
                        && m.get("batchNorm") instanceof String bn && m.get("eps") instanceof Number eps) {
                    out.add(new Pair(conv, bn, Boolean.TRUE.equals(m.get("convBias")), !Boolean.FALSE.equals(m.get("affine")),
                            eps.floatValue()));
                }
            }
        }
        return new FoldedPairs(out);
    }

    boolean isEmpty() {
        return pairs.isEmpty();
    }

    /** A parameter the unfolded export does not have (a fold's added bias, a BatchNorm's statistics). */
    boolean hidden(String name) {
        return hidden.contains(name);
    }

    /** The pair a parameter belongs to, or null. */
    Pair pairOf(String name) {
        return byParameter.get(name);
    }

    /**
     * The array a randomisation of parameter {@code name} (of {@code pair}) overwrites: the logical convolution weight
     * or bias, or the BatchNorm parameter itself. Captures the pair's logical convolution first if not yet done.
     */
    NDArray target(Pair pair, String name, Map<String, NDArray> params) {
        NDArray[] wb = logical.computeIfAbsent(pair, p -> capture(p, params));
        if (name.equals(WRAPPER + pair.conv() + ".weight")) {
            return wb[0];
        }
        if (name.equals(WRAPPER + pair.conv() + ".bias")) {
            return wb[1];
        }
        return params.get(name);
    }

    /** Rewrites each pair's folded convolution from its logical parts and its BatchNorm's current values. */
    void rewrite(Collection<Pair> touched, Map<String, NDArray> params, NDManager scratch) {
        for (Pair p : touched) {
            NDArray[] wb = logical.computeIfAbsent(p, q -> capture(q, params));
            NDArray[] affine = affine(p, params, scratch);
            NDArray weight = params.get(WRAPPER + p.conv() + ".weight");
            NDArray bias = params.get(WRAPPER + p.conv() + ".bias");
            NDArray w = wb[0].mul(affine[0].reshape(-1, 1, 1, 1));
            NDArray b = wb[1] == null ? affine[1] : wb[1].mul(affine[0]).add(affine[1]);
            w.attach(scratch);
            b.attach(scratch);
            weight.muli(0).addi(w);
            bias.muli(0).addi(b);
        }
    }

    /** (scale, shift) of a pair's BatchNorm as it is now, computed as the export's tap recovery does. */
    private static NDArray[] affine(Pair p, Map<String, NDArray> params, NDManager scratch) {
        String bn = WRAPPER + p.batchNorm();
        NDArray mean = params.get(bn + ".running_mean");
        NDArray var = params.get(bn + ".running_var");
        NDArray gamma = p.affine() ? params.get(bn + ".weight") : scratch.ones(var.getShape(), var.getDataType());
        NDArray beta = p.affine() ? params.get(bn + ".bias") : scratch.zeros(var.getShape(), var.getDataType());
        NDArray scale = gamma.div(var.add(p.eps()).sqrt());
        NDArray shift = beta.sub(mean.mul(scale));
        scale.attach(scratch);
        shift.attach(scratch);
        return new NDArray[] {scale, shift};
    }

    /** The pair's logical convolution weight and bias (null when it had none), from the folded values. */
    private NDArray[] capture(Pair p, Map<String, NDArray> params) {
        if (manager == null) {
            manager = params.get(WRAPPER + p.conv() + ".weight").getManager().newSubManager();
        }
        try (NDManager scratch = manager.newSubManager()) {
            NDArray[] affine = affine(p, params, scratch);
            NDArray w = params.get(WRAPPER + p.conv() + ".weight").div(affine[0].reshape(-1, 1, 1, 1));
            w.attach(manager);
            NDArray b = null;
            if (p.convBias()) {
                b = params.get(WRAPPER + p.conv() + ".bias").sub(affine[1]).div(affine[0]);
                b.attach(manager);
            }
            return new NDArray[] {w, b};
        }
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
            manager = null;
        }
        logical.clear();
    }
}
