package io.saliencystudio.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Parameters;

/**
 * The images of the commands that take many ({@code predict}, and through {@link BatchedImages} {@code explain} and
 * {@code evaluate}); {@code sanity} takes exactly one and declares its own.
 */
class ImageFiles {

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files or folders of images.")
    List<Path> images;
}
