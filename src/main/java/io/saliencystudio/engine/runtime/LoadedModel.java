package io.saliencystudio.engine.runtime;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.ModelManifest;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.model.ModelPackageException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TorchScript model in native memory. To the app and the CLI it is an opaque handle: its identity
 * ({@link #modelPackage()}, {@link #manifest()}, {@link #numClasses()}, {@link #hasTaps()}) may be read anywhere, but
 * every native method checks that it runs on the {@link InferenceThread} ({@link InferenceThread#checkCurrent()}), so
 * work reaches the model only through {@link ExplanationEngine}. Each request allocates its arrays in its own
 * sub-manager and closes it, so nothing native outlives a call.
 */
public final class LoadedModel implements AutoCloseable {

    private final ModelPackage pkg;
    private final Model model;
    private final PtSymbolBlock block;
    private final int numClasses;
    private final boolean tapsAvailable;
    private final boolean startsAtCuts;
    private final FoldedPairs folds;
    private final boolean attentionAvailable;

    /** The method that runs the network from a cut tap on (models/FORMAT.md); exports before it lack it. */
    static final String FROM_METHOD = "forward_from";

    private LoadedModel(ModelPackage pkg, Model model, PtSymbolBlock block, int numClasses, boolean tapsAvailable,
            boolean startsAtCuts, boolean attentionAvailable) {
        this.attentionAvailable = attentionAvailable;
        this.pkg = pkg;
        this.model = model;
        this.block = block;
        this.numClasses = numClasses;
        this.tapsAvailable = tapsAvailable;
        this.startsAtCuts = startsAtCuts;
        this.folds = FoldedPairs.of(pkg.manifest());
    }

    /**
     * What to tell a user whose TorchScript file libtorch refused. A file saved by a newer PyTorch than the bundled
     * libtorch fails with an unknown operator or schema, or a format assertion; the message then names both versions
     * and the way out (export again with an older PyTorch) instead of a libtorch stack trace.
     */
    static String loadFailure(ModelPackage pkg, String libtorchSays) {
        Object producer = pkg.manifest().provenance().get("torch");
        String ours = io.saliencystudio.engine.model.TorchScriptArchive.ENGINE_TORCH;
        boolean newerOps = libtorchSays.contains("Unknown builtin op") || libtorchSays.contains("Unknown type name")
                || libtorchSays.contains("schema") || libtorchSays.contains("maximum supported version")
                || libtorchSays.contains("Unknown attribute") || libtorchSays.contains("upgrader");
        String saved = producer == null ? "" : " (saved by PyTorch " + producer + ")";
        libtorchSays = libtorchSays.strip().replaceAll("\\.+$", "");
        if (newerOps || (producer != null && newer(producer.toString(), ours))) {
            return "libtorch " + ours + " cannot run " + pkg.modelFile() + saved + ": " + libtorchSays
                    + ". It was probably saved by a newer PyTorch than this app's libtorch " + ours + ". Export it "
                    + "again with PyTorch " + ours + " or older (e.g. Debian's python3-torch 1.13 and "
                    + "models/tools/export.py), from the same weights";
        }
        return "libtorch " + ours + " could not load " + pkg.modelFile() + saved + ": " + libtorchSays
                + ". Is it a TorchScript file saved by torch.jit.save?";
    }

    /** Whether version {@code a} ("2.11.0+cpu", "1.13.0a0") is newer than {@code b} by major.minor. */
    static boolean newer(String a, String b) {
        int[] x = majorMinor(a);
        int[] y = majorMinor(b);
        return x != null && y != null && (x[0] != y[0] ? x[0] > y[0] : x[1] > y[1]);
    }

    private static int[] majorMinor(String v) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(v.strip());
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : null;
    }

    /**
     * A model that is described but not loaded: its package, class count and whether it has taps, no native memory.
     * For tests of code that only passes a model around and reads its metadata (fake backends, view-models); calling
     * anything that runs the network fails.
     */
    static LoadedModel unloaded(ModelPackage pkg, int numClasses, boolean taps) {
        return new LoadedModel(pkg, null, null, numClasses, taps, false, pkg.manifest().hasAttention());
    }

    /** Loads, puts the module in eval mode, freezes weights and checks the output shape with one forward. */
    static LoadedModel load(ModelPackage pkg, Device device) throws ModelPackageException {
        InferenceThread.checkCurrent();
        TorchRuntime.engine();
        TorchRuntime.applyGraphOptimizerSetting();
        Model model = Model.newInstance(pkg.id(), device, "PyTorch");
        try {
            // trainParam=true: the default load runs under InferenceMode, whose tensors cannot be saved for backward.
            model.load(pkg.modelFile(), null, Map.of("trainParam", "true"));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ModelPackageException(loadFailure(pkg, firstLine(e)), e);
        }
        PtSymbolBlock block = (PtSymbolBlock) model.getBlock();
        // No weight gradients: explanations only need gradients w.r.t. the input and the tapped activation.
        block.freezeParameters(true);
        // eval() once; later forwards pass isTrain only to enable autograd, never to flip the module to train().
        JniUtils.enableInferenceMode(block);
        List<String> methods = Arrays.asList(JniUtils.getMethodNames(block));
        boolean taps = pkg.manifest().hasTaps() && methods.contains(pkg.manifest().tapMethod());
        int classes;
        try {
            classes = probeClasses(pkg.manifest(), model, block);
        } catch (ModelPackageException | RuntimeException e) {
            model.close();
            throw e;
        }
        if (pkg.labelsKnown() && pkg.labels().size() != classes) {
            model.close();
            throw new ModelPackageException("The model has " + classes + " outputs but its label file lists "
                    + pkg.labels().size() + " classes: fix " + pkg.manifest().labelsFile() + " (one line per class)");
        }
        boolean attention = pkg.manifest().hasAttention() && methods.contains(pkg.manifest().attention().method());
        return new LoadedModel(pkg, model, block, classes, taps, taps && methods.contains(FROM_METHOD), attention);
    }

    private static int probeClasses(ModelManifest manifest, Model model, PtSymbolBlock block) throws ModelPackageException {
        InputSpec in = manifest.input();
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDArray x = m.zeros(new Shape(1, in.channels(), in.height(), in.width()));
            NDList out = IValueUtils.forward(block, new NDList(x), false);
            Shape s = out.get(0).getShape();
            if (s.dimension() != 2 || s.get(0) != 1) {
                throw new ModelPackageException("The model returns a tensor of shape " + s + " for one image; a classifier "
                        + "must return logits shaped (N, classes): re-export it so that forward returns the class scores");
            }
            return (int) s.get(1);
        } catch (ai.djl.engine.EngineException e) {
            throw new ModelPackageException("The model rejected a 1x" + in.channels() + "x" + in.height() + "x"
                    + in.width() + " input (" + firstLine(e) + ")." + expectedChannels(e) + " Give the input size the "
                    + "model expects in its manifest (or export it with models/tools/export.py --input-size C,H,W)", e);
        }
    }

    public ModelPackage modelPackage() {
        return pkg;
    }

    public ModelManifest manifest() {
        return pkg.manifest();
    }

    public int numClasses() {
        return numClasses;
    }

    /** Whether layer methods work: the manifest lists taps and the file exports the tap method. */
    public boolean hasTaps() {
        return tapsAvailable;
    }

    /**
     * Whether attention methods (rollout) work: the manifest declares attention maps and the file exports their
     * method. Packages exported before attention maps were (and models that are not ViTs) have none.
     */
    public boolean hasAttention() {
        return attentionAvailable;
    }

    /** Why attention methods are refused on this model, for messages; empty when they work. */
    public String attentionUnavailableReason() {
        if (attentionAvailable) {
            return "";
        }
        if (pkg.manifest().hasAttention()) {
            return "Model '" + pkg.id() + "' declares attention maps but its file does not export method '"
                    + pkg.manifest().attention().method() + "': re-export it with models/tools/export.py";
        }
        return "Model '" + pkg.id() + "' exposes no attention maps, so attention rollout is not available: it is "
                + "not a vision transformer, or it was exported before attention maps were (no \"attention\" in its "
                + "manifest). Re-export a torchvision ViT with models/tools/export.py to add them";
    }

    /** Whether the network can be run from {@code tap} on ({@code forward_from}): a cut tap of a model exporting it. */
    public boolean canStartAt(io.saliencystudio.engine.model.LayerTap tap) {
        // Running on from a token tap would need the leading tokens' values, which the (C, H, W) view drops.
        return startsAtCuts && tap.cut() && tap.layout().prefixTokens() == 0;
    }

    /**
     * Images per native forward in {@link #logits}; larger lists run in chunks of this size. Measured on the 2-core
     * reference machine (fashion-mnist, 1 libtorch thread, medians of 25): 0.84 ms per image in batches of 8, 1.6 to
     * 2.7 ms in batches of 12 to 64 (libtorch picks a slower convolution path for larger batches there), and batches
     * of 8 already amortise the per-call cost. {@code -Dsaliency.predictChunk=N} changes it.
     */
    static final int PREDICT_CHUNK = Math.max(1, Integer.getInteger("saliency.predictChunk", 8));

    /** Plain forward without autograd: logits per image, in chunks of {@link #PREDICT_CHUNK} images. */
    public float[][] logits(List<ModelInput> inputs) {
        InferenceThread.checkCurrent();
        float[][] out = new float[inputs.size()][];
        for (int from = 0; from < inputs.size(); from += PREDICT_CHUNK) {
            List<ModelInput> chunk = inputs.subList(from, Math.min(inputs.size(), from + PREDICT_CHUNK));
            float[][] rows = forwardOnce(chunk);
            System.arraycopy(rows, 0, out, from, rows.length);
        }
        return out;
    }

    private float[][] forwardOnce(List<ModelInput> inputs) {
        try (NDManager m = model.getNDManager().newSubManager()) {
            NDList out = IValueUtils.forward(block, new NDList(batch(m, inputs)), false);
            return rows(out.get(0).toFloatArray(), inputs.size(), numClasses);
        } catch (ai.djl.engine.EngineException e) {
            throw new EngineException("The model failed on this input: " + firstLine(e), e);
        }
    }

    /** Stacks images into one (N, C, H, W) array; the images go first so outputs attach to this manager. */
    NDArray batch(NDManager m, List<ModelInput> inputs) {
        InferenceThread.checkCurrent();
        InputSpec spec = manifest().input();
        float[] flat = new float[inputs.size() * spec.size()];
        for (int i = 0; i < inputs.size(); i++) {
            ModelInput in = inputs.get(i);
            if (!in.spec().equals(spec)) {
                throw new EngineException(in.source() + " was prepared for input " + in.spec() + " but the model takes " + spec);
            }
            System.arraycopy(in.tensor(), 0, flat, i * spec.size(), spec.size());
        }
        return m.create(flat, new Shape(inputs.size(), spec.channels(), spec.height(), spec.width()));
    }

    PtSymbolBlock block() {
        InferenceThread.checkCurrent();
        return block;
    }

    NDManager newRequestManager() {
        InferenceThread.checkCurrent();
        return model.getNDManager().newSubManager();
    }

    static float[][] rows(float[] flat, int n, int k) {
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * k, (i + 1) * k);
        }
        return out;
    }

    /** A Python-style error line ({@code RuntimeError: ...}, {@code builtins.ValueError: ...}) in a native trace. */
    private static final Pattern ERROR_LINE = Pattern.compile("^(?:[\\w.]*(?:Error|Exception)): (.+)$");
    private static final Pattern CHANNELS = Pattern.compile("to have (\\d+) channels, but got (\\d+) channels");

    /**
     * The line of a native error that says why. TorchScript errors start with "The following operation failed in
     * the TorchScript interpreter." and a serialized traceback; the reason (the model's own exception or the
     * failing operator's message) is the last {@code SomethingError: ...} line. Other errors: their first line.
     */
    static String firstLine(Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        List<String> lines = msg.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = ERROR_LINE.matcher(lines.get(i));
            if (m.matches()) {
                return m.group(1);
            }
        }
        return lines.isEmpty() ? msg : lines.get(0);
    }

    /** What a wrong-channel-count failure says the model expects, e.g. " The model expects 1 input channels." */
    static String expectedChannels(Throwable e) {
        Matcher m = CHANNELS.matcher(String.valueOf(e.getMessage()));
        return m.find() ? " The model expects " + m.group(1) + " input channels, not " + m.group(2) + "." : "";
    }

    @Override
    public void close() {
        if (model != null) {
            InferenceThread.checkCurrent();
            folds.close();
            model.close();
        }
    }

    /**
     * Overwrites, in place, every parameter whose name passes {@code which} with normal noise of the parameter's
     * own standard deviation (seeded). For sanity checks (Adebayo et al.): explanations of a randomised model must
     * change. Irreversible for this loaded copy; load another copy to keep the original. On an export with folded
     * BatchNorms the parameters are the unfolded network's ({@link FoldedPairs}): the same seed draws the same
     * numbers, and the randomised network computes what the unfolded export's would.
     *
     * @return the names of the parameters randomised
     */
    public List<String> randomizeWeights(long seed, Predicate<String> which) {
        InferenceThread.checkCurrent();
        TorchRuntime.engine().setRandomSeed((int) seed);
        Map<String, NDArray> params = new LinkedHashMap<>();
        for (var entry : block.getParameters()) {
            if (!isTailAlias(entry.getKey())) {
                params.put(entry.getKey(), entry.getValue().getArray());
            }
        }
        List<String> changed = new ArrayList<>();
        Set<FoldedPairs.Pair> touched = new LinkedHashSet<>();
        try (NDManager m = newRequestManager()) {
            for (var entry : params.entrySet()) {
                if (folds.hidden(entry.getKey()) || !which.test(entry.getKey())) {
                    continue;
                }
                FoldedPairs.Pair pair = folds.pairOf(entry.getKey());
                NDArray weights = pair == null ? entry.getValue() : folds.target(pair, entry.getKey(), params);
                float std = weights.size() > 1 ? (float) Math.sqrt(weights.sub(weights.mean()).square().mean().getFloat()) : 0f;
                NDArray noise = m.randomNormal(0f, std > 0 ? std : 0.05f, weights.getShape(), weights.getDataType());
                weights.muli(0).addi(noise);
                if (pair != null) {
                    touched.add(pair);
                }
                changed.add(entry.getKey());
            }
            folds.rewrite(touched, params, m);
        }
        return changed;
    }

    /**
     * Names of the learnable parameters as DJL lists them (e.g. {@code layer4.0.conv2.weight}), without the
     * {@code forward_from} segments' second names for the same tensors ({@code tail.segments.*}) and, on a folded
     * export, without what the unfolded export does not have ({@link FoldedPairs#hidden}).
     */
    public List<String> parameterNames() {
        InferenceThread.checkCurrent();
        return block.getParameters().keys().stream().filter(n -> !isTailAlias(n) && !folds.hidden(n)).toList();
    }

    /**
     * The export's {@code tail} (models/tools/tail.py) reuses the network's own modules, so its parameters are the
     * same tensors under a second name: randomising the network's randomises them too, and listing them would
     * count every layer twice.
     */
    private static boolean isTailAlias(String parameterName) {
        // attention.*: forward_attention's re-implementation shares the ViT's own parameters (attention.py).
        return parameterName.startsWith("tail.") || parameterName.startsWith("attention.");
    }

    /** Names of the methods the TorchScript file exports (for diagnostics). */
    public Set<String> methodNames() {
        InferenceThread.checkCurrent();
        return Set.of(JniUtils.getMethodNames(block));
    }
}
