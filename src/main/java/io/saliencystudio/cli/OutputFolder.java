package io.saliencystudio.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code --out} folder of {@code explain} and {@code sanity}. The option itself stays in each command: what goes
 * in the folder, and whether it is needed, differ.
 */
final class OutputFolder {

    private OutputFolder() {}

    /** Creates {@code out} if missing and checks it is writable, before any work is done. */
    static void prepare(Path out) throws IOException {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new IOException("cannot create output folder " + out + " (" + e.getMessage() + "): choose a writable --out");
        }
        if (!Files.isWritable(out)) {
            throw new IOException("output folder " + out + " is not writable: choose another --out");
        }
    }
}
