package io.saliencystudio.cli;

import io.saliencystudio.engine.Failures;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints one readable line per failure; the stack trace only with {@code --verbose}. */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        Throwable cause = Failures.rootCause(ex);
        cmd.getErr().println("error: " + Failures.message(cause));
        if (verbose(cmd)) {
            cause.printStackTrace(cmd.getErr());
        } else {
            cmd.getErr().println("(run with --verbose for details)");
        }
        return cause instanceof IllegalArgumentException ? Main.USAGE : Main.FAILED;
    }

    /**
     * Whether the command that failed was given {@code --verbose}: read from its own parse result, so nothing
     * global remembers it between runs (tests run many command lines in one JVM).
     */
    static boolean verbose(CommandLine cmd) {
        ParseResult own = cmd.getParseResult();
        return own != null && own.hasMatchedOption("--verbose") && Boolean.TRUE.equals(
                own.matchedOptionValue("--verbose", Boolean.FALSE));
    }
}
