package io.saliencystudio.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.io.Npy;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * ROAD against pytorch-grad-cam itself: its percentile masks and its noisy linear imputer (noise 0), run on a fixed
 * input and map with ties (src/test/python/reference_road.py, fixtures in src/test/resources/road).
 */
@Tag("parity")
class RoadParityTest {

    private static final Path DIR = Path.of("src/test/resources/road");

    @Test
    void masksAndImputationEqualPytorchGradCams() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
        Npy.Array input = Npy.read(DIR.resolve("input.npy"));
        Npy.Array map = Npy.read(DIR.resolve("map.npy"));
        int channels = input.shape()[0];
        int height = input.shape()[1];
        int width = input.shape()[2];
        assertThat(doc.get("cases")).hasSize(10);
        double worst = 0;
        for (JsonNode c : doc.get("cases")) {
            boolean morf = c.get("kind").asText().equals("morf");
            boolean[] removed = RoadMetric.removed(map.data(), c.get("fraction").asDouble(), morf);
            float[] expectedRemoved = Npy.read(DIR.resolve(c.get("removed").asText())).data();
            int count = 0;
            for (int p = 0; p < removed.length; p++) {
                assertThat(removed[p]).as("%s pixel %d removed", c.get("imputed").asText(), p)
                        .isEqualTo(expectedRemoved[p] > 0.5f);
                count += removed[p] ? 1 : 0;
            }
            assertThat(count).isEqualTo(c.get("removedCount").asInt());
            float[] imputed = LinearImputation.impute(input.data(), channels, height, width, removed, 0, new Random(0));
            float[] expected = Npy.read(DIR.resolve(c.get("imputed").asText())).data();
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(imputed[i] - expected[i]));
                assertThat(imputed[i]).as("%s value %d", c.get("imputed").asText(), i).isCloseTo(expected[i], within(1e-5f));
            }
        }
        System.out.printf("ROAD vs %s: masks equal, imputation max abs diff %.2g%n", doc.get("library").asText(), worst);
    }

    @Test
    void scoresFollowTheImputedImagesAndTheNoiseIsSeeded() {
        // Class-0 logit = the input's mean (FakeNetworks.MeanNetwork): every score follows from the imputed images.
        FakeNetworks.MeanNetwork net = new FakeNetworks.MeanNetwork(1, 4, 4, 5);
        float[] input = new float[16];
        float[] raw = new float[16];
        for (int i = 0; i < 16; i++) {
            input[i] = i < 4 ? 4f : 0f; // the top row is bright
            raw[i] = i < 4 ? 1f : i / 100f; // and the map points at it
        }
        Heatmap map = new Heatmap(4, 4, raw, raw.clone(), 0, 1);
        RoadMetric.Settings noiseless = new RoadMetric.Settings(0, 0, false);
        Road road = RoadMetric.evaluate(net, input, 0, map, noiseless, Progress.NONE);
        assertThat(road.original()).isEqualTo(1.0, within(1e-6));
        // Removing the bright row first (MoRF) drops the mean to that of the imputed image: the rest is 0.
        boolean[] top = RoadMetric.removed(raw, 0.3, true);
        float[] imputed = LinearImputation.impute(input, 1, 4, 4, top, 0, new Random(0));
        double mean = 0;
        for (float v : imputed) {
            mean += v / 16;
        }
        assertThat(road.morf()[2]).isEqualTo(mean, within(1e-6));
        assertThat(road.morf()[2]).isLessThan(0.5);
        // Removing the least relevant pixels keeps the bright row: LeRF stays high.
        assertThat(road.lerfMean()).isGreaterThan(road.morfMean());
        assertThat(road.combined()).isEqualTo((road.lerfMean() - road.morfMean()) / 2, within(1e-12));
        // Noise: same seed, same numbers; another seed, other numbers.
        Road a = RoadMetric.evaluate(net, input, 0, map, new RoadMetric.Settings(0.01, 3, false), Progress.NONE);
        Road b = RoadMetric.evaluate(net, input, 0, map, new RoadMetric.Settings(0.01, 3, false), Progress.NONE);
        Road c = RoadMetric.evaluate(net, input, 0, map, new RoadMetric.Settings(0.01, 4, false), Progress.NONE);
        assertThat(a.morf()).containsExactly(b.morf());
        assertThat(a.morf()).isNotEqualTo(c.morf());
        assertThat(a.morf()[2]).isEqualTo(road.morf()[2], within(0.01));
    }

    @Test
    void aMapWhoseTiesRemoveEveryPixelImputesTheMeanColour() {
        // 12 of 16 values tie at the minimum: MoRF at 90% keeps the pixels below the 10th percentile, i.e. none.
        float[] v = new float[16];
        for (int i = 12; i < 16; i++) {
            v[i] = 0.5f + i / 100f;
        }
        boolean[] removed = RoadMetric.removed(v, 0.9, true);
        assertThat(removed).containsOnly(true);
        float[] input = new float[32];
        java.util.Arrays.fill(input, 2f);
        assertThat(LinearImputation.impute(input, 2, 4, 4, removed, 0, new Random(0))).containsOnly(0f);
    }

    @Test
    void percentileIsNumpysLinearOne() {
        float[] v = {0.1f, 0.2f, 0.35f, 0.7f};
        // np.percentile(np.float32([0.1, 0.2, 0.35, 0.7]), 30) == 0.19000000283122062
        assertThat(RoadMetric.percentile(v, 30)).isEqualTo(0.19000000283122062);
        assertThat(RoadMetric.percentile(v, 100)).isEqualTo((double) 0.7f);
        assertThat(RoadMetric.percentile(v, 0)).isEqualTo((double) 0.1f);
    }
}
