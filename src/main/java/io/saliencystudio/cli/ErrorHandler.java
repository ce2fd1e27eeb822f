package io.saliencystudio.cli;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints one readable line per failure; the stack trace only with {@code --verbose}. */
final class ErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parsed) {
        Throwable cause = unwrap(ex);
        cmd.getErr().println("error: " + message(cause));
        if (Options.verbose) {
            cause.printStackTrace(cmd.getErr());
        } else {
            cmd.getErr().println("(run with --verbose for details)");
        }
        return cause instanceof IllegalArgumentException ? Main.USAGE : Main.FAILED;
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
