package io.saliencystudio.cli;

import picocli.CommandLine.Option;

/**
 * The images of {@code explain} and {@code evaluate}, and {@code --batch}: how many of them share a pass. {@code bench
 * --batch} is not this option: it sizes a throughput run over noise inputs, and bench takes no images.
 */
final class BatchedImages extends ImageFiles {

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Images explained per forward/backward pass (default ${DEFAULT-VALUE}).")
    int batch;

    /** {@code --batch}, checked to be at least 1. */
    int batchSize() {
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be at least 1");
        }
        return batch;
    }
}
