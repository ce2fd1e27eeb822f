package io.saliencystudio.testing;

import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** One engine and one loaded copy of each model per test JVM: loading and warming up costs more than the tests. */
public final class TestModels {

    public static final Path MODELS = Path.of("models");
    public static final Path SAMPLES = Path.of("assets", "samples");

    private static final ExplanationEngine ENGINE = new ExplanationEngine();
    private static final Map<Path, LoadedModel> LOADED = new ConcurrentHashMap<>();

    private TestModels() {}

    public static ExplanationEngine engine() {
        return ENGINE;
    }

    public static LoadedModel load(Path packageDir) {
        return LOADED.computeIfAbsent(packageDir.toAbsolutePath().normalize(), p -> {
            try {
                return ENGINE.load(ModelPackage.open(p)).join();
            } catch (Exception e) {
                throw new IllegalStateException("cannot load test model " + p, e);
            }
        });
    }

    public static LoadedModel load(String id) {
        return load(MODELS.resolve(id));
    }

    /** Inputs built straight from an (N, C, H, W) tensor, bypassing decoding (parity fixtures store tensors). */
    public static List<ModelInput> inputs(Npy.Array tensor, InputSpec spec) {
        int n = tensor.shape()[0];
        int size = spec.size();
        List<ModelInput> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] t = Arrays.copyOfRange(tensor.data(), i * size, (i + 1) * size);
            out.add(new ModelInput(spec, t, RgbImage.blank(spec.width(), spec.height()), "fixture-" + i));
        }
        return out;
    }
}
