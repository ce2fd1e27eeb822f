package io.saliencystudio.app.dialog;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The app's questions to the user and its file choosers, behind one interface (as JabRef's {@code DialogService}),
 * so commands and view-models can be tested with a scripted implementation instead of windows. All methods are
 * called on the UI thread; the modal ones return the user's answer.
 */
public interface DialogService {

    /** A file chooser's filter: its description and glob patterns such as {@code *.png}. */
    record FileFilter(String description, List<String> patterns) {

        public FileFilter(String description, String... patterns) {
            this(description, List.of(patterns));
        }

        /** The first pattern's extension with its dot ({@code .png}), or empty for {@code *}. */
        public String extension() {
            String first = patterns.get(0);
            int dot = first.lastIndexOf('.');
            return dot < 0 ? "" : first.substring(dot);
        }
    }

    /** A file chooser's question: title, filters, and where to start ({@code null}: the platform's choice). */
    record FileQuestion(String title, List<FileFilter> filters, Path initialDirectory, String initialFileName) {

        public FileQuestion(String title, List<FileFilter> filters, Path initialDirectory) {
            this(title, filters, initialDirectory, null);
        }
    }

    /** A file to save to and the filter the user had selected ({@code null} when none). */
    record SaveAnswer(Path file, FileFilter filter) {}

    /** Files to open; empty when the user cancelled. */
    List<Path> openFiles(FileQuestion question);

    Optional<Path> openFile(FileQuestion question);

    Optional<Path> chooseDirectory(String title, Path initialDirectory);

    Optional<SaveAnswer> saveFile(FileQuestion question);

    /** A yes/no question with the two buttons' words; true for yes. */
    boolean confirm(String title, String header, String content, String yes, String no);

    /** An information window that does not block; {@code monospaced} for tables of text. */
    void showInformation(String title, String header, String content, boolean monospaced);

    /** Opens a document or folder with the desktop; false when no desktop integration is available here. */
    boolean showDocument(URI uri);
}
