package io.saliencystudio.app.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.app.FakeBackend;
import io.saliencystudio.app.images.ImageListViewModel;
import io.saliencystudio.app.service.ImageStore;
import io.saliencystudio.app.service.InferenceService;
import io.saliencystudio.app.service.Thumbnail;
import io.saliencystudio.app.status.NotificationCenter;
import io.saliencystudio.engine.audit.AuditCache;
import io.saliencystudio.engine.audit.AuditDataset;
import io.saliencystudio.engine.audit.AuditItem;
import io.saliencystudio.engine.audit.AuditRow;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ComputeDevice;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.testing.SameThreadExecutor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data set view's logic without a window, on the shipped shapes samples (18 images, 3 per class, labels.csv):
 * confusion-cell filter, mistakes first, only mistakes, text filter, per-class figures, thumbnails, and a whole
 * audit through the real {@link InferenceService} over a fake backend.
 */
class DatasetViewModelTest {

    private static final Path SHAPES = Path.of("assets/samples/shapes").toAbsolutePath();
    private static final Path MODEL = Path.of("models/shapes");

    private static DatasetViewModel viewModel(FakeBackend backend, java.util.concurrent.Executor fx) {
        InferenceService service = new InferenceService(backend,
                new ImageStore(SameThreadExecutor.INSTANCE, 64L << 20), fx, 64L << 20);
        ImageListViewModel images = new ImageListViewModel(service, SameThreadExecutor.INSTANCE, fx,
                new NotificationCenter(null));
        return new DatasetViewModel(service, images, SameThreadExecutor.INSTANCE, fx);
    }

    /** Every shapes sample correct at 0.95, except hexagon-01 and -02 as circle (0.9, 0.6) and star-03 as cross (0.7). */
    private static List<AuditRow> knownRows(AuditDataset data) {
        List<AuditRow> rows = new ArrayList<>();
        for (AuditItem i : data.items()) {
            int predicted = i.trueIndex();
            double conf = 0.95;
            switch (i.image()) {
                case "hexagon-01.png" -> { predicted = 0; conf = 0.9; }
                case "hexagon-02.png" -> { predicted = 0; conf = 0.6; }
                case "star-03.png" -> { predicted = 4; conf = 0.7; }
                default -> { }
            }
            rows.add(new AuditRow(i.image(), i.trueIndex(), predicted, conf, predicted == i.trueIndex() ? conf : 0.05,
                    0.1, 1.0, predicted == i.trueIndex() ? 1 : 2));
        }
        return rows;
    }

    private static DatasetViewModel withKnownRows() throws Exception {
        List<String> labels = ModelPackage.open(MODEL).labels();
        AuditDataset data = AuditDataset.open(SHAPES, labels);
        DatasetViewModel vm = viewModel(new FakeBackend(), SameThreadExecutor.INSTANCE);
        vm.show(data, labels);
        vm.addRows(knownRows(data));
        return vm;
    }

    private static List<String> shownImages(DatasetViewModel vm) {
        return vm.shown().stream().map(AuditRow::image).toList();
    }

    @Test
    void aConfusionCellFiltersTheTableToExactlyItsImagesAndClickingAgainClears() throws Exception {
        DatasetViewModel vm = withKnownRows();
        assertThat(vm.shown()).hasSize(18);
        assertThat(vm.count(5, 0)).isEqualTo(2);
        vm.clickCell(5, 0); // true hexagon, predicted circle
        assertThat(shownImages(vm)).containsExactlyInAnyOrder("hexagon-01.png", "hexagon-02.png");
        vm.clickCell(3, 4);
        assertThat(shownImages(vm)).containsExactly("star-03.png");
        vm.clickCell(1, 1);
        assertThat(shownImages(vm)).containsExactlyInAnyOrder("square-01.png", "square-02.png", "square-03.png");
        vm.clickCell(1, 1);
        assertThat(vm.cellProperty().get()).isNull();
        assertThat(vm.shown()).hasSize(18);
    }

    @Test
    void mistakesFirstPutsTheMostConfidentMistakesOnTopThenTheTableOrder() throws Exception {
        DatasetViewModel vm = withKnownRows();
        vm.tableOrderProperty().set(Comparator.comparing(AuditRow::image).reversed());
        assertThat(shownImages(vm).get(0)).isEqualTo("triangle-03.png");
        vm.mistakesFirstProperty().set(true);
        assertThat(shownImages(vm).subList(0, 4))
                .containsExactly("hexagon-01.png", "star-03.png", "hexagon-02.png", "triangle-03.png");
        assertThat(vm.shown().subList(3, 18)).allMatch(AuditRow::correct);
        vm.mistakesFirstProperty().set(false);
        vm.tableOrderProperty().set(null);
        assertThat(shownImages(vm).get(0)).isEqualTo("circle-01.png"); // labels.csv order
    }

    @Test
    void onlyMistakesAndTextFilterCombineWithTheCell() throws Exception {
        DatasetViewModel vm = withKnownRows();
        vm.onlyMistakesProperty().set(true);
        assertThat(shownImages(vm)).containsExactlyInAnyOrder("hexagon-01.png", "hexagon-02.png", "star-03.png");
        vm.textProperty().set("STAR");
        assertThat(shownImages(vm)).containsExactly("star-03.png");
        vm.onlyMistakesProperty().set(false);
        assertThat(shownImages(vm)).containsExactlyInAnyOrder("star-01.png", "star-02.png", "star-03.png");
        vm.textProperty().set("");
        vm.clickCell(0, 0);
        vm.onlyMistakesProperty().set(true);
        assertThat(vm.shown()).isEmpty(); // the diagonal holds no mistakes
    }

    @Test
    void perClassPrecisionRecallAndSupportOnTheShapesSamples() throws Exception {
        DatasetViewModel vm = withKnownRows();
        assertThat(vm.accuracy()).isCloseTo(15.0 / 18, within(1e-12));
        List<DatasetViewModel.ClassRow> c = vm.classRows();
        assertThat(c).extracting(DatasetViewModel.ClassRow::label)
                .containsExactly("circle", "square", "triangle", "star", "cross", "hexagon");
        assertThat(c).allMatch(r -> r.support() == 3);
        // circle: 3 of its own + 2 hexagons predicted circle
        assertThat(c.get(0).precision()).isCloseTo(0.6, within(1e-12));
        assertThat(c.get(0).recall()).isEqualTo(1.0);
        assertThat(c.get(0).f1()).isCloseTo(0.75, within(1e-12));
        assertThat(c.get(1).precision()).isEqualTo(1.0);
        assertThat(c.get(3).precision()).isEqualTo(1.0);
        assertThat(c.get(3).recall()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(c.get(4).precision()).isCloseTo(0.75, within(1e-12));
        assertThat(c.get(4).predicted()).isEqualTo(4);
        assertThat(c.get(5).recall()).isCloseTo(1.0 / 3, within(1e-12));
        assertThat(c.get(5).predicted()).isEqualTo(1);
        assertThat(vm.maxMistakeCount()).isEqualTo(2);
    }

    @Test
    void rowsForAFigureGridAreAddedToTheImageListInOrder() throws Exception {
        DatasetViewModel vm = withKnownRows();
        vm.onlyMistakesProperty().set(true);
        List<AuditRow> chosen = List.copyOf(vm.shown());
        var items = vm.addToList(chosen).get(5, TimeUnit.SECONDS);
        assertThat(items).extracting(i -> i.source().path())
                .containsExactlyElementsOf(chosen.stream().map(r -> SHAPES.resolve(r.image()).normalize()).toList());
    }

    @Test
    void thumbnailsAreSmallDecodedOnceAndCached() throws Exception {
        DatasetViewModel vm = withKnownRows();
        AuditRow first = vm.rows().get(0);
        Thumbnail t = vm.thumbnail(first).get(5, TimeUnit.SECONDS);
        assertThat(Math.max(t.width(), t.height())).isLessThanOrEqualTo(ImageStore.THUMBNAIL_SIZE);
        assertThat(t.sourceWidth()).isGreaterThan(0);
        assertThat(vm.cachedThumbnails()).isEqualTo(1);
        assertThat(vm.thumbnail(first).get(5, TimeUnit.SECONDS)).isSameAs(t);
        assertThat(vm.cachedThumbnails()).isEqualTo(1);
    }

    @Test
    void anAuditOverTheFakeBackendFillsTheTableAndTheCounts() throws Exception {
        ExecutorService ui = Executors.newSingleThreadExecutor();
        try {
            FakeBackend backend = new FakeBackend();
            DatasetViewModel vm = viewModel(backend, ui);
            LoadedModel model = backend.load(ModelPackage.open(MODEL), ComputeDevice.CPU).join();
            AuditDataset data = vm.open(SHAPES, model).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (ui.submit(() -> vm.runningProperty().get()).get() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            long expectedCorrect = data.items().stream()
                    .filter(i -> Math.floorMod(i.image().hashCode(), 6) == i.trueIndex()).count();
            assertThat(ui.submit(() -> vm.rows().size()).get()).isEqualTo(18);
            assertThat(ui.submit(vm::audited).get()).isEqualTo(18);
            assertThat(ui.submit(vm::accuracy).get()).isCloseTo(expectedCorrect / 18.0, within(1e-12));
            assertThat(ui.submit(() -> vm.progressProperty().get()).get()).isEqualTo(1.0);
            assertThat(ui.submit(() -> vm.messageProperty().get()).get()).startsWith("18 images in");
            for (AuditItem i : data.items()) {
                AuditRow r = ui.submit(() -> vm.rows().stream().filter(x -> x.image().equals(i.image())).findFirst()
                        .orElseThrow()).get();
                assertThat(r.predicted()).isEqualTo(Math.floorMod(i.image().hashCode(), 6));
            }
        } finally {
            ui.shutdownNow();
        }
    }

    private static void awaitAudit(DatasetViewModel vm, ExecutorService ui) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (ui.submit(() -> vm.runningProperty().get()).get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Rows a remembered audit left: hexagon-01 as "star" (which the fake backend would not say), all the rest fake. */
    @Test
    void reopeningADataSetShowsTheRememberedAuditAndAuditsOnlyTheImagesItLacks(@TempDir Path tmp) throws Exception {
        ExecutorService ui = Executors.newSingleThreadExecutor();
        try {
            FakeBackend backend = new FakeBackend();
            LoadedModel model = backend.load(ModelPackage.open(MODEL), ComputeDevice.CPU).join();
            List<String> labels = model.modelPackage().labels();
            AuditDataset data = AuditDataset.open(SHAPES, labels);
            AuditCache cache = new AuditCache(tmp.resolve("audits"));
            Path file = cache.file(model.manifest(), data);
            AuditRow remembered = new AuditRow("hexagon-01.png", 5, 3, 0.8, 0.1, 0.7, 2.3, 3);
            cache.start(file, labels, List.of(remembered)).close();

            DatasetViewModel vm = viewModel(backend, ui);
            vm.useAuditCache(cache);
            vm.open(SHAPES, model).get(10, TimeUnit.SECONDS);
            awaitAudit(vm, ui);
            assertThat(ui.submit(() -> vm.rows().size()).get()).isEqualTo(18);
            assertThat(ui.submit(() -> vm.rows().get(0)).get()).isEqualTo(remembered);
            assertThat(ui.submit(() -> vm.messageProperty().get()).get())
                    .startsWith("18 images in").contains("(1 from an earlier audit, 17 audited now)");
            assertThat(backend.predictCalls.get()).isEqualTo(1);
            assertThat(cache.read(file, data, labels).rows()).hasSize(18).contains(remembered);

            // Opened again: everything from the cache, no prediction at all.
            DatasetViewModel again = viewModel(backend, ui);
            again.useAuditCache(cache);
            again.open(SHAPES, model).get(10, TimeUnit.SECONDS);
            awaitAudit(again, ui);
            assertThat(ui.submit(() -> again.rows().size()).get()).isEqualTo(18);
            assertThat(ui.submit(() -> again.messageProperty().get()).get()).contains("(18 from an earlier audit, 0 audited now)");
            assertThat(backend.predictCalls.get()).isEqualTo(1);

            // Audit again: the remembered rows are forgotten and every image is predicted anew.
            ui.submit(again::auditAgain).get();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (backend.predictCalls.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            awaitAudit(again, ui);
            assertThat(backend.predictCalls.get()).isEqualTo(2);
            AuditRow hexagon = ui.submit(() -> again.rows().stream().filter(r -> r.image().equals("hexagon-01.png"))
                    .findFirst().orElseThrow()).get();
            assertThat(hexagon).isNotEqualTo(remembered);
            assertThat(ui.submit(() -> again.messageProperty().get()).get()).doesNotContain("earlier audit");
        } finally {
            ui.shutdownNow();
        }
    }
}
