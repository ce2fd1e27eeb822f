package io.saliencystudio.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The images of the commands that take many ({@code predict}, {@code explain}, {@code evaluate}); {@code sanity}
 * takes exactly one and declares its own.
 */
final class ImageFiles {

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders of images.")
    List<Path> images;

    /**
     * {@code --batch} of {@code explain} and {@code evaluate}: how many of the images share a pass. {@code bench
     * --batch} is not this: it sizes the throughput run over noise inputs.
     */
    static final class Batch {

        @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Images explained per forward/backward pass (default ${DEFAULT-VALUE}).")
        int size;

        /** {@code --batch}, checked to be at least 1. */
        int size() {
            if (size < 1) {
                throw new IllegalArgumentException("--batch must be at least 1");
            }
            return size;
        }
    }
}
