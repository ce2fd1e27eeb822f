package io.saliencystudio.cli;

import io.saliencystudio.engine.runtime.TorchRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code java -jar saliency-studio.jar <command>}. */
@Command(
        name = "saliency-studio",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = "See why an image classifier decided what it decided: saliency maps, Grad-CAM and relatives for TorchScript models, and how faithful they are.",
        subcommands = {ModelsCommand.class, PredictCommand.class, ExplainCommand.class, EvaluateCommand.class, SanityCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {

    /** Exit code when some images failed but the others were processed. */
    public static final int SOME_FAILED = 1;
    /** Exit code for a usage error (picocli's convention). */
    public static final int USAGE = 2;
    /** Exit code when nothing could be done (model failed to load, output folder unusable...). */
    public static final int FAILED = 3;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this directly). */
    public static int run(String... args) {
        return run(null, null, args);
    }

    /** Runs with the given output and error writers (null = the console). */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        // Before any DJL class loads: offline, no tracking.
        TorchRuntime.configure();
        Options.verbose = false;
        CommandLine cli = new CommandLine(new Main());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }
}
