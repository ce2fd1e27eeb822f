package io.saliencystudio.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.InputSpec;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 (memory bounded over 10,000 images): what an audit keeps per image is its {@link AuditRow}, never the
 * decoded input. Measured on the Fashion-MNIST test set, the live heap stayed at 12-20 MiB over 10,000 images (the
 * RSS growth was the JVM's heap sizing, docs/benchmarks.md); this guards the half that is code: while the auditor
 * runs, at most the batches decoded ahead, the batch being predicted and the one being decoded are reachable, and
 * once it returns none is.
 */
class AuditorMemoryTest {

    private static final InputSpec SPEC = new InputSpec(1, 64, 64, InputSpec.ColorMode.GRAY);
    private static final int BATCH = 4;
    private static final int LOOKAHEAD = 2;

    @Test
    void decodedInputsDoNotOutliveTheirBatch() throws Exception {
        List<WeakReference<ModelInput>> decoded = new ArrayList<>();
        Auditor.Decoder decoder = item -> {
            ModelInput in = new ModelInput(SPEC, new float[SPEC.size()], RgbImage.blank(64, 64), item.image());
            synchronized (decoded) {
                decoded.add(new WeakReference<>(in));
            }
            return in;
        };
        Auditor.Predictor predictor = batch -> batch.stream().map(in -> new float[] {1f, 0f}).toList();
        List<AuditItem> items = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            items.add(new AuditItem("img" + i + ".png", Path.of("img" + i + ".png"), i % 2));
        }
        List<AuditRow> kept = new ArrayList<>();
        List<Integer> reachable = new ArrayList<>();
        Auditor auditor = new Auditor(decoder, predictor, BATCH, 1, LOOKAHEAD);
        Auditor.Result result = auditor.run(items, new Auditor.Sink() {
            @Override
            public void rows(List<AuditRow> rows) {
                kept.addAll(rows);
                if (kept.size() % (10 * BATCH) == 0) {
                    reachable.add(alive(decoded));
                }
            }

            @Override
            public void skipped(Skipped skipped) throws IOException {
                throw new IOException("nothing should be skipped: " + skipped);
            }
        }, Progress.NONE);

        assertThat(result.audited()).isEqualTo(200);
        assertThat(kept).hasSize(200);
        assertThat(reachable).hasSize(5);
        // the batches decoded ahead, the batch predicted, and one more being decoded meanwhile
        assertThat(reachable).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo((LOOKAHEAD + 2) * BATCH));
        assertThat(alive(decoded)).as("decoded inputs reachable after the run, rows kept").isZero();
    }

    /** Inputs still reachable after a full collection. */
    private static int alive(List<WeakReference<ModelInput>> refs) {
        System.gc();
        synchronized (refs) {
            return (int) refs.stream().filter(r -> r.get() != null).count();
        }
    }
}
