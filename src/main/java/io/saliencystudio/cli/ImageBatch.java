package io.saliencystudio.cli;

import io.saliencystudio.engine.image.ImageLoadException;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.ModelManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Turns the command line's image arguments (files and folders) into model inputs, reporting and skipping bad ones. */
final class ImageBatch {

    private final ImageLoader loader = new ImageLoader();
    private final Preprocessor preprocessor;
    private final PrintWriter err;
    private int failures;

    ImageBatch(ModelManifest manifest, PrintWriter err) {
        this.preprocessor = new Preprocessor(manifest.input(), manifest.preprocessing());
        this.err = err;
    }

    /**
     * Files named directly are kept whatever their extension (so a bad one is reported); folders give their files with
     * a readable extension ({@link ImageLoader#READABLE_EXTENSIONS}).
     */
    List<Path> expand(List<Path> args) {
        List<Path> files = new ArrayList<>();
        for (Path a : args) {
            if (Files.isDirectory(a)) {
                try (Stream<Path> s = Files.list(a)) {
                    s.filter(Files::isRegularFile).filter(ImageLoader::hasReadableExtension).sorted().forEach(files::add);
                } catch (IOException e) {
                    fail(a + ": cannot list folder (" + e.getMessage() + ")");
                }
            } else {
                files.add(a);
            }
        }
        return files;
    }

    /** What {@link #inBatches} does with each batch. */
    @FunctionalInterface
    interface BatchWork {
        void run(List<Decoded> batch) throws IOException;
    }

    /**
     * The batching loop of {@code explain} and {@code evaluate}: expands {@code args} ({@link #expand}), decodes the
     * files in order and hands them to {@code work} in batches of {@code size} (the last may be smaller); files that
     * cannot be decoded are reported, counted in {@link #failures()} and left out, so a batch only holds good images.
     *
     * @return how many images were handed to {@code work}
     */
    int inBatches(List<Path> args, int size, BatchWork work) throws IOException {
        if (size < 1) {
            throw new IllegalArgumentException("a batch holds at least 1 image, got " + size);
        }
        List<Decoded> pending = new ArrayList<>();
        int handed = 0;
        for (Path file : expand(args)) {
            Decoded d = decode(file);
            if (d != null) {
                pending.add(d);
            }
            if (pending.size() == size) {
                work.run(List.copyOf(pending));
                handed += pending.size();
                pending.clear();
            }
        }
        if (!pending.isEmpty()) {
            work.run(List.copyOf(pending));
            handed += pending.size();
        }
        return handed;
    }

    /** Decodes and preprocesses one file; {@code null} (after reporting) when it cannot. */
    ModelInput load(Path file) {
        Decoded d = decode(file);
        return d == null ? null : d.input();
    }

    /** A model input with the size of the file it came from (to map file coordinates, e.g. boxes, onto it). */
    record Decoded(Path file, ModelInput input, int sourceWidth, int sourceHeight) {}

    /** As {@link #load}, keeping the file's size. */
    Decoded decode(Path file) {
        try {
            RgbImage image = loader.load(file);
            return new Decoded(file, preprocessor.apply(image, file.toString()), image.width(), image.height());
        } catch (ImageLoadException e) {
            fail(e.getMessage());
            return null;
        }
    }

    void fail(String message) {
        failures++;
        err.println("skipped: " + message);
        err.flush();
    }

    int failures() {
        return failures;
    }
}
