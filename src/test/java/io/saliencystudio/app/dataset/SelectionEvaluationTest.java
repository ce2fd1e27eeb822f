package io.saliencystudio.app.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.TestBackend;
import io.saliencystudio.app.images.ImageListViewModel;
import io.saliencystudio.app.service.ImageStore;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.app.status.NotificationCenter;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.metrics.FaithfulnessMetric;
import io.saliencystudio.engine.metrics.FaithfulnessSettings;
import io.saliencystudio.engine.metrics.FaithfulnessSummary;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.testing.SameThreadExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Evaluate selection" without a window, over the real engine and the shapes model: an unreadable image is listed
 * and the others still count, Cancel stops and a new evaluation runs, and the time for 20 images is measured.
 */
class SelectionEvaluationTest {

    private static final Path SHAPES = Path.of("assets/samples/shapes").toAbsolutePath();
    private static final Path MODEL = Path.of("models/shapes");

    @TempDir
    Path tmp;

    private ExecutorService ui;
    private DatasetViewModel dataset;
    private SelectionEvaluationViewModel eval;

    @BeforeEach
    void setUp() {
        ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
        InferenceService service = new InferenceService(new TestBackend(),
                new ImageStore(SameThreadExecutor.INSTANCE, 64L << 20), ui, 64L << 20);
        ImageListViewModel images = new ImageListViewModel(service, SameThreadExecutor.INSTANCE, ui,
                new NotificationCenter(null));
        dataset = new DatasetViewModel(service, images, SameThreadExecutor.INSTANCE, ui);
        eval = new SelectionEvaluationViewModel(dataset, service, ui, () -> FaithfulnessSettings.RISE,
                () -> MethodSettings.DEFAULTS);
    }

    @AfterEach
    void tearDown() {
        ui.shutdownNow();
    }

    private <T> T onUi(Callable<T> work) throws Exception {
        return ui.submit(work).get(30, TimeUnit.SECONDS);
    }

    /** A labelled copy of the shapes samples with {@code count} images (the 18 samples, then repeats). */
    private Path folder(int count) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        List<String> csv = new ArrayList<>(List.of("file,label"));
        List<Path> src;
        try (var s = Files.list(SHAPES)) {
            src = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        for (int i = 0; i < count; i++) {
            Path from = src.get(i % src.size());
            String name = String.format(Locale.ROOT, "%02d-%s", i, from.getFileName());
            Files.copy(from, dir.resolve(name));
            csv.add(name + "," + from.getFileName().toString().replaceAll("-\\d+\\.png$", ""));
        }
        Files.write(dir.resolve("labels.csv"), csv);
        return dir;
    }

    private List<AuditRow> audit(Path dir, int expected) throws Exception {
        LoadedModel model = TestBackend.model(MODEL);
        dataset.open(dir, model).get(30, TimeUnit.SECONDS);
        waitFor(() -> !dataset.runningProperty().get() && dataset.rows().size() == expected, 60);
        return onUi(() -> dataset.rows().stream().sorted(java.util.Comparator.comparing(AuditRow::image)).toList());
    }

    private void waitFor(Callable<Boolean> condition, long seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!onUi(condition)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + seconds + " s");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void anUnreadableImageIsListedWithItsReasonAndTheOthersStillCount() throws Exception {
        List<AuditRow> rows = audit(folder(3), 3);
        Files.delete(tmp.resolve("data").resolve(rows.get(1).image())); // gone after the audit
        assertThat(onUi(() -> eval.evaluate(rows))).isTrue();
        waitFor(() -> !eval.runningProperty().get(), 120);
        List<FaithfulnessSummary.Failure> failures = onUi(() -> List.copyOf(eval.failures()));
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).image()).isEqualTo(rows.get(1).image());
        assertThat(failures.get(0).method()).isNull();
        assertThat(failures.get(0).reason()).isNotBlank();
        assertThat(onUi(() -> eval.summary().spread(Method.GRADCAM, FaithfulnessMetric.DELETION_AUC).n())).isEqualTo(2);
        assertThat(onUi(() -> eval.messageProperty().get())).startsWith("2 of 3 images in").endsWith(", 1 failed");
        assertThat(onUi(() -> eval.csv())).contains(",failed,", rows.get(1).image());
    }

    @Test
    void cancelStopsAndTheNextEvaluationRunsWhole() throws Exception {
        List<AuditRow> rows = audit(folder(6), 6);
        onUi(() -> eval.evaluate(rows));
        waitFor(() -> eval.progressProperty().get() > 0, 120);
        onUi(() -> {
            eval.cancel();
            return null;
        });
        assertThat(onUi(() -> eval.runningProperty().get())).isFalse();
        assertThat(onUi(() -> eval.messageProperty().get())).startsWith("Cancelled after");
        Thread.sleep(500); // late answers of the cancelled run must not show
        assertThat(onUi(() -> eval.summary().images())).isLessThan(6);

        onUi(() -> eval.methods().remove(Method.GRADCAM));
        onUi(() -> eval.evaluate(rows.subList(0, 2)));
        waitFor(() -> !eval.runningProperty().get(), 120);
        assertThat(onUi(() -> eval.summary().methods())).containsExactly(Method.SALIENCY);
        assertThat(onUi(() -> eval.summary().spread(Method.SALIENCY, FaithfulnessMetric.INSERTION_AUC).n())).isEqualTo(2);
        assertThat(onUi(() -> eval.messageProperty().get())).startsWith("2 of 2 images in");
    }

    @Tag("timing")
    @Test
    void twentyImagesWithSaliencyAndGradCam() throws Exception {
        List<AuditRow> rows = audit(folder(20), 20);
        long start = System.nanoTime();
        onUi(() -> eval.evaluate(rows));
        waitFor(() -> !eval.runningProperty().get(), 300);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "evaluate selection: 20 shapes images, saliency + Grad-CAM, RISE: %.2f s "
                + "(%.0f ms per image)%n", seconds, seconds * 50);
        assertThat(onUi(() -> eval.summary().images())).isEqualTo(20);
        assertThat(onUi(() -> List.copyOf(eval.failures()))).isEmpty();
        assertThat(seconds).as("a stall, not a benchmark").isLessThan(240);
    }
}
