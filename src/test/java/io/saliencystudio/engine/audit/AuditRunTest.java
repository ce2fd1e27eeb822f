package io.saliencystudio.engine.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.image.ImageLoadException;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.InputSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit loop against a fake network that records what it is asked: batching, skipped files, cancel, and a
 * resume that recomputes nothing already in predictions.csv.
 */
class AuditRunTest {

    private static final List<String> LABELS = List.of("a", "b", "c");
    private static final InputSpec SPEC = new InputSpec(1, 2, 2, InputSpec.ColorMode.GRAY);

    /** Image i gets logits that favour class i % 3, except every 4th, which favours (i + 1) % 3. */
    private static final class FakeNetwork implements Auditor.Predictor, Auditor.Decoder {
        final List<String> predicted = new ArrayList<>();
        final List<Integer> batchSizes = new ArrayList<>();

        @Override
        public ModelInput decode(AuditItem item) throws ImageLoadException {
            if (item.image().startsWith("bad")) {
                throw new ImageLoadException(item.file() + " could not be decoded (truncated or corrupt file?)");
            }
            return new ModelInput(SPEC, new float[4], RgbImage.blank(2, 2), item.image());
        }

        @Override
        public synchronized List<float[]> logits(List<ModelInput> batch) {
            batchSizes.add(batch.size());
            List<float[]> out = new ArrayList<>();
            for (ModelInput in : batch) {
                predicted.add(in.source());
                int i = Integer.parseInt(in.source().replaceAll("\\D", ""));
                float[] l = new float[3];
                l[(i % 4 == 0 ? i + 1 : i) % 3] = 2f + (i % 5) * 0.3f;
                out.add(l);
            }
            return out;
        }
    }

    private static AuditDataset dataset(Path dir, int n) {
        List<AuditItem> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = (i == 5 ? "bad" : "img") + i + ".png";
            items.add(new AuditItem(name, dir.resolve(name), i % 3));
        }
        return new AuditDataset(dir, AuditDataset.LABELS_CSV, items, List.of(new Skipped("x.png", "no row in labels.csv")));
    }

    @Test
    void batchesRowsAndSkipsUnreadableFiles(@TempDir Path dir) throws Exception {
        FakeNetwork net = new FakeNetwork();
        Path csv = dir.resolve("predictions.csv");
        AuditRun.Outcome o = AuditRun.run(dataset(dir, 23), LABELS, csv, false, new Auditor(net, net, 4, 2, 2), 3,
                Progress.NONE);
        assertThat(net.predicted).hasSize(22).doesNotContain("bad5.png");
        assertThat(net.batchSizes).containsExactly(4, 3, 4, 4, 4, 3); // the batch with bad5 is one short
        assertThat(o.result().audited()).isEqualTo(22);
        assertThat(o.skipped()).extracting(Skipped::file).containsExactly("x.png", "bad5.png");
        assertThat(o.skipped().get(1).reason()).startsWith("could not be decoded");
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(23);
        assertThat(lines.get(0)).isEqualTo(PredictionsCsv.HEADER);
        // img4: true 4 % 3 = 1, predicted 5 % 3 = 2; img8 true 2 predicted 0; img0 true 0 predicted 1 ...
        assertThat(lines.get(5)).startsWith("img4.png,b,c,").contains(",false,");
        assertThat(o.tally().correct()).isEqualTo(22 - 6); // wrong: 0, 4, 8, 12, 16, 20
    }

    @Test
    void cancelStopsBetweenBatchesAndResumeComputesOnlyTheRest(@TempDir Path dir) throws Exception {
        AuditDataset data = dataset(dir, 23);
        Path whole = dir.resolve("whole.csv");
        AuditRun.Outcome reference = AuditRun.run(data, LABELS, whole, false,
                new Auditor(new FakeNetwork(), new FakeNetwork(), 4, 1, 1), 3, Progress.NONE);

        Path csv = dir.resolve("predictions.csv");
        FakeNetwork first = new FakeNetwork();
        AtomicBoolean stop = new AtomicBoolean();
        Progress cancelAfterTwoBatches = new Progress() {
            @Override
            public void report(long done, long total, String what) {
                stop.set(done >= 8);
            }

            @Override
            public boolean cancelled() {
                return stop.get();
            }
        };
        assertThatThrownBy(() -> AuditRun.run(data, LABELS, csv, false, new Auditor(first, first, 4, 2, 2), 3,
                cancelAfterTwoBatches)).isInstanceOf(CancellationException.class);
        assertThat(first.predicted).hasSize(7); // img0-3, then img4, img6, img7 (bad5 skipped)
        // a killed run can leave a row cut short: it is dropped and recomputed
        Files.writeString(csv, "img8.png,c,a,0.9", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

        FakeNetwork second = new FakeNetwork();
        AuditRun.Outcome resumed = AuditRun.run(data, LABELS, csv, true, new Auditor(second, second, 4, 2, 2), 3,
                Progress.NONE);
        assertThat(resumed.resumedRows()).isEqualTo(7);
        assertThat(resumed.droppedRows()).isEqualTo(1);
        assertThat(second.predicted).hasSize(15).doesNotContainAnyElementsOf(first.predicted).contains("img8.png");
        assertThat(Files.readAllLines(csv)).isEqualTo(Files.readAllLines(whole));
        assertThat(resumed.tally().accuracy()).isEqualTo(reference.tally().accuracy());
        assertThat(resumed.tally().expectedCalibrationError()).isEqualTo(reference.tally().expectedCalibrationError());
        assertThat(resumed.extremes().mostConfidentMistakes()).isEqualTo(reference.extremes().mostConfidentMistakes());

        FakeNetwork third = new FakeNetwork();
        AuditRun.Outcome again = AuditRun.run(data, LABELS, csv, true, new Auditor(third, third, 4, 2, 2), 3,
                Progress.NONE);
        assertThat(third.predicted).isEmpty();
        assertThat(again.resumedRows()).isEqualTo(22);
        assertThat(again.tally().images()).isEqualTo(22);
    }
}
