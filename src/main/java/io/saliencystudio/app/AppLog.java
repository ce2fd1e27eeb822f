package io.saliencystudio.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * The desktop app's log file. The shared {@code logback.xml} serves the CLI (warnings on stderr only); the app adds
 * a file with INFO and above here, at start, and keeps stderr at warnings, so the CLI's behaviour is untouched.
 * Errors shown to the user as one line keep their stack traces in this file.
 */
public final class AppLog {

    public static final String FILE_NAME = "saliency-studio.log";

    private AppLog() {}

    /** Adds the file appender; returns the file, or {@code null} if logback is not the SLF4J backend. */
    public static Path install(Path dir) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return null;
        }
        Path file = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            LoggerFactory.getLogger(AppLog.class).warn("cannot create log folder {}: {}", dir, e.getMessage());
            return null;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (var it = root.iteratorForAppenders(); it.hasNext(); ) {
            Appender<ILoggingEvent> a = it.next();
            ThresholdFilter warn = new ThresholdFilter();
            warn.setLevel("WARN");
            warn.start();
            a.addFilter(warn);
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(ctx);
        appender.setName("APP_FILE");
        appender.setFile(file.toString());
        appender.setAppend(true);
        appender.setEncoder(encoder);
        appender.start();
        root.addAppender(appender);
        if (!root.isEnabledFor(Level.INFO)) {
            root.setLevel(Level.INFO);
        }
        return file;
    }
}
