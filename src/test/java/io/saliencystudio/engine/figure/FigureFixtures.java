package io.saliencystudio.engine.figure;

import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.MapMath;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.InputSpec;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** Synthetic, deterministic figure inputs: no model, no native code. */
final class FigureFixtures {

    static final int SIZE = 16;
    static final String[] LABELS = {"star", "circle", "hexagon"};
    static final FigureSpec.ModelInfo MODEL = new FigureSpec.ModelInfo("shapes-test", "Shapes (test)",
            "ab".repeat(32), "3,16,16 RGB", "stretch, /255.0, mean [0.5], std [0.5]");
    static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");

    private FigureFixtures() {}

    /** Image: red grows with x, green with y. Saliency raw = 0.1 x (0..1.5), Grad-CAM raw = 0.2 x (0..3.0). */
    static FigureSpec.Row row(String name, float gain) {
        float[] px = new float[SIZE * SIZE * 3];
        float[] sal = new float[SIZE * SIZE];
        float[] cam = new float[SIZE * SIZE];
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                int i = y * SIZE + x;
                px[i * 3] = x * 16;
                px[i * 3 + 1] = y * 16;
                px[i * 3 + 2] = 128;
                sal[i] = 0.1f * x * gain;
                cam[i] = 0.2f * x * gain;
            }
        }
        InputSpec spec = new InputSpec(3, SIZE, SIZE, InputSpec.ColorMode.RGB);
        ModelInput input = new ModelInput(spec, new float[spec.size()], new RgbImage(SIZE, SIZE, px), "/data/" + name + ".png");
        Prediction p = Prediction.fromLogits(new float[] {2f, 0.5f, -1f}, i -> LABELS[i]);
        Map<Method, MethodResult> results = new EnumMap<>(Method.class);
        results.put(Method.SALIENCY, new MethodResult(Method.SALIENCY, MapMath.saliency(sal, SIZE, SIZE), null, null, 1));
        float[] small = new float[16];
        for (int i = 0; i < 16; i++) {
            small[i] = (i % 4) * 0.8f * gain;
        }
        results.put(Method.GRADCAM, new MethodResult(Method.GRADCAM, MapMath.gradCam(cam, SIZE, SIZE),
                MapMath.gradCam(small, 4, 4), "layer4", 1));
        return new FigureSpec.Row(name, input, new Explanation(input.source(), p, p.score(0), results));
    }

    static FigureSpec.Builder rowSpec() {
        FigureSpec.Row r = row("star-01", 1);
        return FigureSpec.builder(MODEL).row(r.input(), r.explanation()).title("Test figure").dpi(72)
                .created(CREATED).appVersion("test");
    }
}
