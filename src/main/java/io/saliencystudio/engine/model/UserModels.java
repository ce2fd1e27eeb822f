package io.saliencystudio.engine.model;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Adds a model to the per-user models folder ({@link ModelFolders#userDir()}), so it is listed from then on. A
 * package folder is copied as a whole; a bare TorchScript file {@code name.pt} becomes {@code name/name.pt} (with the
 * {@code synset.txt} beside it, if any), which {@link ModelCatalog} opens as a bare file. Nothing existing is
 * ever replaced, and a failed copy leaves nothing behind: the copy is made in a hidden folder beside the target and
 * renamed into place once complete.
 */
public final class UserModels {

    private UserModels() {}

    /**
     * Copies {@code source} (a package folder or a {@code .pt} file) into {@code userDir}, creating that folder if
     * needed, and returns the new package folder. A source already inside {@code userDir} is returned as it is.
     *
     * @throws IOException with a one-sentence message saying what to do (name taken, folder not writable, disk full)
     */
    public static Path add(Path source, Path userDir) throws IOException {
        Path src = source.toAbsolutePath().normalize();
        Path dir = userDir.toAbsolutePath().normalize();
        if (!Files.exists(src)) {
            throw new IOException("There is no model at " + src + ": choose a package folder or a .pt file");
        }
        boolean folder = Files.isDirectory(src);
        Path pkg = folder ? src : src.getParent();
        if (pkg != null && pkg.getParent() != null && pkg.getParent().equals(dir)) {
            return pkg;
        }
        String file = src.getFileName().toString();
        // A loose "model.pt" is named after its folder; any other file after itself.
        String name = folder ? file
                : file.equals("model.pt") && pkg != null && pkg.getFileName() != null ? pkg.getFileName().toString()
                : stem(file);
        Path target = dir.resolve(name);
        if (Files.exists(target)) {
            throw new IOException("Your models folder already has a model named " + name + " (" + target
                    + "): rename or remove that one first, or rename the one to add");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw failure("could not create " + dir, e);
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(dir, ".adding-" + name + "-");
            if (folder) {
                copyTree(src, tmp);
            } else {
                Files.copy(src, tmp.resolve(name + ".pt"), StandardCopyOption.COPY_ATTRIBUTES);
                Path labels = src.resolveSibling("synset.txt");
                if (Files.isRegularFile(labels)) {
                    Files.copy(labels, tmp.resolve("synset.txt"), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            if (Files.exists(target)) {
                throw new FileAlreadyExistsException(target.toString());
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            tmp = null;
            return target;
        } catch (FileAlreadyExistsException e) {
            throw new IOException("A model named " + name + " appeared in " + dir + " while copying: rename or "
                    + "remove it, then add the model again", e);
        } catch (IOException e) {
            throw failure("could not copy " + src.getFileName() + " into " + dir, e);
        } finally {
            if (tmp != null) {
                deleteQuietly(tmp);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        List<Path> all;
        try (Stream<Path> s = Files.walk(from)) {
            all = s.toList();
        }
        for (Path p : all) {
            Path dest = to.resolve(from.relativize(p).toString());
            if (Files.isDirectory(p)) {
                Files.createDirectories(dest);
            } else {
                Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    /** An IOException whose message says what failed, why, and what to do. */
    private static IOException failure(String what, IOException cause) {
        String why = cause instanceof AccessDeniedException ? "permission denied"
                : cause instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : cause.getMessage();
        return new IOException("The model was not added: " + what + " (" + why + "); free some space or check the "
                + "folder's permissions, then try again", cause);
    }

    private static String stem(String file) {
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    private static void deleteQuietly(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a hidden leftover folder is skipped by the catalog
                }
            });
        } catch (IOException e) {
            // nothing more to do
        }
    }
}
