package io.saliencystudio.app.service;

import java.nio.file.Path;

/**
 * An image the user added: a file on disk. {@code id} identifies it in caches (the absolute, normalised path), so the
 * same file dropped twice is one entry.
 */
public record ImageSource(String id, Path path) {

    public static ImageSource of(Path path) {
        Path p = path.toAbsolutePath().normalize();
        return new ImageSource(p.toString(), p);
    }

    public String name() {
        return path.getFileName().toString();
    }
}
