package io.saliencystudio.cli;

import io.saliencystudio.engine.runtime.TorchRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** Entry point of {@code java -jar saliency-studio.jar <command>}. */
@Command(
        name = "saliency-studio",
        mixinStandardHelpOptions = true,
        versionProvider = Versions.class,
        description = "See why an image classifier decided what it decided: saliency maps, Grad-CAM and relatives for TorchScript models, and how faithful they are.",
        subcommands = {ModelsCommand.class, PredictCommand.class, ExplainCommand.class, EvaluateCommand.class, SanityCommand.class, BenchCommand.class, AuditCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {

    /**
     * Global and inherited by every command, so both {@code saliency-studio --threads 4 explain ...} and
     * {@code saliency-studio explain --threads 4 ...} work. Applied while parsing, before any command starts the engine.
     */
    @Option(names = "--threads", paramLabel = "N", scope = ScopeType.INHERIT,
            description = "libtorch threads (default: physical cores, at most 8; or SALIENCY_STUDIO_THREADS).")
    void setThreads(int n) {
        try {
            TorchRuntime.setThreads(n);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    @Spec
    CommandSpec spec;

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
        CommandLine cli = new CommandLine(new Main());
        if (out != null) {
            cli.setOut(out);
        }
        if (err != null) {
            cli.setErr(err);
        }
        try {
            // Before any DJL class loads: offline, no tracking, threads from the environment.
            TorchRuntime.configure();
        } catch (IllegalArgumentException e) {
            cli.getErr().println(e.getMessage());
            cli.getErr().flush();
            return USAGE;
        }
        cli.setExecutionExceptionHandler(new ErrorHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }
}
