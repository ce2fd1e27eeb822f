package io.saliencystudio.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.engine.explain.Method;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The options several commands share are declared once: the same words on every command mean the same thing, with
 * the same help, default and checks. No model is loaded here.
 */
class SharedOptionsTest {

    /**
     * Options that several commands declare on purpose, each with its own meaning: {@code --out} (what goes in the
     * folder), {@code --json} (a file or a flag), {@code --batch} (bench sizes a throughput run, not image batches;
     * audit's predicts 64 at a time) and {@code --overwrite} (audit's restarts a predictions.csv).
     */
    private static final Set<String> DIFFERENT_ON_PURPOSE = Set.of("--out", "--json", "--batch", "--overwrite");

    private static final Path SAMPLE = CliRun.firstShapesSample();

    @Test
    void anOptionOnSeveralCommandsHasOneHelpTextAndDefault() {
        Map<String, Map<String, String>> seen = new TreeMap<>();
        CommandLine main = new CommandLine(new Main());
        main.getSubcommands().forEach((command, cli) -> {
            for (OptionSpec o : cli.getCommandSpec().options()) {
                String help = String.join(" ", o.description()) + " | default " + o.defaultValue() + " | "
                        + o.paramLabel() + " | " + String.join(",", o.names());
                seen.computeIfAbsent(o.longestName(), k -> new HashMap<>()).put(command, help);
            }
        });
        // --batch is the same option on explain and evaluate; only bench's differs.
        assertThat(seen.get("--batch").get("explain")).isEqualTo(seen.get("--batch").get("evaluate"));
        assertThat(seen.get("--batch").get("bench")).isNotEqualTo(seen.get("--batch").get("explain"));
        for (var option : seen.entrySet()) {
            if (!DIFFERENT_ON_PURPOSE.contains(option.getKey())) {
                assertThat(Set.copyOf(option.getValue().values())).as(option.getKey() + " on " + option.getValue().keySet())
                        .hasSize(1);
            }
        }
        assertThat(seen.get("--method").keySet()).containsExactlyInAnyOrder("explain", "evaluate", "sanity", "audit");
        assertThat(seen.get("--layer").keySet()).containsExactlyInAnyOrder("explain", "evaluate", "sanity");
        assertThat(seen.get("--class").keySet()).containsExactlyInAnyOrder("explain", "evaluate", "sanity");
        assertThat(seen.get("--colormap").keySet()).containsExactlyInAnyOrder("explain", "sanity", "audit");
        assertThat(seen.get("--opacity").get("sanity")).contains("default 0.5");
        assertThat(seen.get("--colormap").get("explain")).contains("default viridis");
    }

    @Test
    void explainEvaluateAndSanityReadTheSameMethodLayerAndClass() {
        for (String command : List.of("explain", "evaluate", "sanity")) {
            CommandLine main = new CommandLine(new Main());
            var parsed = main.parseArgs(command, "--model", "m", "--method", "saliency,gradcam++", "--method", "ig",
                    "--layer", "layer3", "--class", "star", "img.png");
            Object cmd = parsed.subcommand().commandSpec().userObject();
            TargetOptions target = switch (command) {
                case "explain" -> ((ExplainCommand) cmd).target;
                case "evaluate" -> ((EvaluateCommand) cmd).target;
                default -> ((SanityCommand) cmd).target;
            };
            assertThat(target.asked()).as(command).isEqualTo(EnumSet.of(Method.SALIENCY, Method.GRADCAM_PLUS_PLUS,
                    Method.INTEGRATED_GRADIENTS));
            assertThat(target.layer).as(command).isEqualTo("layer3");
            assertThat(target.targetClass).as(command).isEqualTo("star");
        }
        CommandLine main = new CommandLine(new Main());
        var parsed = main.parseArgs("sanity", "--model", "m", "img.png");
        assertThat(((SanityCommand) parsed.subcommand().commandSpec().userObject()).target.asked())
                .isEqualTo(Method.core());
    }

    @Test
    void theSharedChecksSayTheSameOnEveryCommandBeforeAnyModelLoads() {
        String image = SAMPLE.toString();
        for (String command : List.of("explain", "evaluate", "sanity")) {
            CliRun typo = CliRun.of(command, "--model", "models/shapes", "--method", "gradkam", image);
            assertThat(typo.exitCode()).as(command).isEqualTo(Main.USAGE);
            assertThat(typo.err()).as(command).startsWith("error: unknown method 'gradkam'");
        }
        for (String command : List.of("explain", "sanity")) {
            CliRun opacity = CliRun.of(command, "--model", "models/shapes", "--out", "unused", "--opacity", "1.5", image);
            assertThat(opacity.err()).as(command).startsWith("error: --opacity must be between 0 and 1, got 1.5");
        }
        for (String command : List.of("explain", "evaluate")) {
            CliRun batch = CliRun.of(command, "--model", "models/shapes", "--batch", "0", image);
            assertThat(batch.err()).as(command).startsWith("error: --batch must be at least 1");
        }
        assertThat(Path.of("unused")).doesNotExist();
    }

    @Test
    void sanityBoundsTheClassByTheModelsLabelsBeforeLoadingIt() {
        CliRun range = CliRun.of("sanity", "--model", "models/shapes", "--class", "6", SAMPLE.toString());
        assertThat(range.exitCode()).isEqualTo(Main.USAGE);
        assertThat(range.err()).startsWith("error: --class 6 is out of range: model 'shapes' has 6 classes (0..5)");
        CliRun label = CliRun.of("sanity", "--model", "models/shapes", "--class", "dodecahedron", SAMPLE.toString());
        assertThat(label.err()).startsWith("error: --class 'dodecahedron' is neither a class index nor a label of model "
                + "'shapes'. Labels: ").contains("circle");
    }
}
