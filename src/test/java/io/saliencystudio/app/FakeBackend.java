package io.saliencystudio.app;

import io.saliencystudio.app.service.ExplanationBackend;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.engine.runtime.UnloadedModels;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link ExplanationBackend} without libtorch, for fast view-model tests (with {@code
 * io.saliencystudio.testing.SameThreadExecutor} as the UI and image-io executors, no window either). Models are
 * {@link UnloadedModels}: metadata only. Every call completes at once on the caller's thread, unless
 * {@link #hold()} keeps explanations pending until {@link #release()}, to test what happens while one is in flight.
 *
 * <p>The results are made up but checkable: an input's predicted class is {@link #predictedClass} (from its source
 * name), and every method's map for class {@code t} is a vertical line at column {@code t} ({@link #hotColumn}).
 * For the real engine behind the same seam, see {@link TestBackend}.
 */
public final class FakeBackend implements ExplanationBackend {

    public final AtomicInteger loads = new AtomicInteger();
    public final AtomicInteger predictCalls = new AtomicInteger();
    /** Every explain request asked of this backend, in order. */
    public final List<ExplainRequest> requests = new CopyOnWriteArrayList<>();
    private final List<Runnable> held = new ArrayList<>();
    private boolean holding;

    /** The class the fake predicts for {@code input}: stable per source name, so images differ. */
    public static int predictedClass(ModelInput input, int numClasses) {
        return Math.floorMod(input.source().hashCode(), numClasses);
    }

    /** The column where every map for class {@code target} is hottest. */
    public static int hotColumn(int target, int width) {
        return target % width;
    }

    /** Keeps explanations pending from now on, until {@link #release()}. */
    public synchronized void hold() {
        holding = true;
    }

    /** Completes the explanations held so far, in order, and stops holding. */
    public void release() {
        List<Runnable> now;
        synchronized (this) {
            holding = false;
            now = new ArrayList<>(held);
            held.clear();
        }
        now.forEach(Runnable::run);
    }

    @Override
    public CompletableFuture<LoadedModel> load(ModelPackage pkg, ComputeDevice device) {
        loads.incrementAndGet();
        return CompletableFuture.completedFuture(UnloadedModels.of(pkg));
    }

    @Override
    public CompletableFuture<List<Prediction>> predict(LoadedModel model, List<ModelInput> inputs) {
        predictCalls.incrementAndGet();
        return CompletableFuture.completedFuture(inputs.stream().map(in -> predict(model, in)).toList());
    }

    private static Prediction predict(LoadedModel model, ModelInput input) {
        float[] logits = new float[model.numClasses()];
        int top = predictedClass(input, logits.length);
        for (int k = 0; k < logits.length; k++) {
            logits[k] = k == top ? 5f : -0.01f * k;
        }
        return Prediction.fromLogits(logits, model.modelPackage()::label);
    }

    @Override
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request) {
        return explain(model, request, Progress.NONE);
    }

    @Override
    public CompletableFuture<List<Explanation>> explain(LoadedModel model, ExplainRequest request, Progress progress) {
        requests.add(request);
        List<Explanation> out = new ArrayList<>();
        for (int i = 0; i < request.inputs().size(); i++) {
            ModelInput input = request.inputs().get(i);
            Prediction p = predict(model, input);
            Integer asked = request.targets().get(i);
            ClassScore target = p.score(asked != null ? asked : predictedClass(input, model.numClasses()));
            Map<Method, MethodResult> maps = new EnumMap<>(Method.class);
            for (Method m : request.methods()) {
                Heatmap map = lineAt(target.index(), input.spec().width(), input.spec().height());
                String layer = m.needsLayer() ? request.layer() : null;
                maps.put(m, new MethodResult(m, map, m.needsLayer() ? map : null, layer, 1,
                        request.settings().describe(m)));
            }
            out.add(new Explanation(input.source(), p, target, maps));
        }
        CompletableFuture<List<Explanation>> future = new CompletableFuture<>();
        synchronized (this) {
            if (holding) {
                held.add(() -> future.complete(out));
                return future;
            }
        }
        future.complete(out);
        return future;
    }

    private static Heatmap lineAt(int target, int width, int height) {
        float[] raw = new float[width * height];
        int column = hotColumn(target, width);
        for (int y = 0; y < height; y++) {
            raw[y * width + column] = 1;
        }
        return MapMath.saliency(raw, width, height);
    }

    @Override
    public CompletableFuture<Void> unload(LoadedModel model) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> gpuAvailable() {
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public void close() {
        release();
    }
}
