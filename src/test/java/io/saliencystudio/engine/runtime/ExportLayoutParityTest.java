package io.saliencystudio.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.saliencystudio.engine.model.ModelPackage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * What today's export tool writes (BatchNorms folded into convolutions, channels-last weights and activations) runs
 * in DJL with the same maps as the eager model: the export's tiny test CNN (src/test/python/make_layout_model.py)
 * against its eager hook reference, at the default layer, at a folded convolution's own output (recovered in the
 * graph from the folded value), at a folded BatchNorm's output and at the stem, within the parity tolerance.
 */
@Tag("parity")
class ExportLayoutParityTest {

    private static final Path ROOT = Path.of("src/test/resources/layout-model");
    private static final Path PACKAGE = ROOT.resolve("package");
    private static final Path FIXTURES = ROOT.resolve("fixtures");

    @Test
    void thePackageIsFoldedAndChannelsLast() throws Exception {
        ModelPackage pkg = ModelPackage.open(PACKAGE);
        assertThat(pkg.manifest().provenance()).containsEntry("memoryFormat", "channels_last")
                .containsEntry("batchNormsFolded", 6);
        assertThat(pkg.manifest().tap("stage.0.conv1")).isPresent();
        assertThat(pkg.manifest().tap("stage.0.bn1")).isPresent();
    }

    @TestFactory
    Stream<DynamicTest> mapsMatchTheEagerReference() throws Exception {
        JsonNode cases = new ObjectMapper().readTree(FIXTURES.resolve("cases.json").toFile());
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("logits", () -> ParityTest.checkLogits(FIXTURES, PACKAGE, cases)));
        for (JsonNode c : cases.get("cases")) {
            tests.add(DynamicTest.dynamicTest(c.get("layer").asText() + " classes " + c.get("classes"),
                    () -> ParityTest.checkCase(FIXTURES, PACKAGE, cases, c)));
        }
        assertThat(tests).hasSize(5);
        return tests.stream();
    }
}
