package io.saliencystudio.app.images;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.image.Image;
import javafx.scene.input.Clipboard;
import javax.imageio.ImageIO;

/**
 * Paste: files copied in a file manager, a path or {@code file:} URL copied as text, or image pixels (a screenshot),
 * which are saved as a PNG in a folder of the app's so they can be listed and explained like any file.
 */
public final class ClipboardImport {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

    private final Path pasteDir;
    private final Executor io;

    public ClipboardImport(Path pasteDir, Executor io) {
        this.pasteDir = pasteDir;
        this.io = io;
    }

    /** Reads the clipboard (UI thread) and completes with the paths to add; empty when nothing usable was there. */
    public CompletableFuture<List<Path>> paste(Clipboard clipboard) {
        if (clipboard.hasFiles()) {
            return CompletableFuture.completedFuture(clipboard.getFiles().stream().map(File::toPath).toList());
        }
        if (clipboard.hasImage()) {
            Image image = clipboard.getImage();
            return CompletableFuture.supplyAsync(() -> List.of(save(image)), io);
        }
        if (clipboard.hasString()) {
            return CompletableFuture.completedFuture(pathsIn(clipboard.getString()));
        }
        return CompletableFuture.completedFuture(List.of());
    }

    /** Existing files named by the lines of a text (plain paths or {@code file:} URLs). */
    public static List<Path> pathsIn(String text) {
        List<Path> out = new ArrayList<>();
        for (String line : text.split("\\R")) {
            String s = line.strip();
            if (s.isEmpty()) {
                continue;
            }
            try {
                Path p = s.startsWith("file:") ? Path.of(URI.create(s)) : Path.of(s);
                if (Files.exists(p)) {
                    out.add(p);
                }
            } catch (RuntimeException e) {
                // Not a path: ignore this line.
            }
        }
        return out;
    }

    private Path save(Image image) {
        try {
            Files.createDirectories(pasteDir);
            Path file = pasteDir.resolve("pasted-" + LocalDateTime.now().format(STAMP) + ".png");
            ImageIO.write(SwingFXUtils.fromFXImage(image, null), "png", file.toFile());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the pasted image in " + pasteDir, e);
        }
    }
}
