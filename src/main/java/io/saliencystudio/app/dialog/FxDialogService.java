package io.saliencystudio.app.dialog;

import java.io.File;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import javafx.application.HostServices;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** {@link DialogService} with JavaFX windows owned by the main window. */
public final class FxDialogService implements DialogService {

    private final Window owner;
    private final HostServices hostServices;

    /** @param hostServices the application's, for {@link #showDocument}; {@code null} where there is none (tests) */
    public FxDialogService(Window owner, HostServices hostServices) {
        this.owner = owner;
        this.hostServices = hostServices;
    }

    @Override
    public List<Path> openFiles(FileQuestion question) {
        List<File> files = chooser(question).showOpenMultipleDialog(owner);
        return files == null ? List.of() : files.stream().map(File::toPath).toList();
    }

    @Override
    public Optional<Path> openFile(FileQuestion question) {
        return Optional.ofNullable(chooser(question).showOpenDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseDirectory(String title, Path initialDirectory) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle(title);
        existing(initialDirectory).ifPresent(dc::setInitialDirectory);
        return Optional.ofNullable(dc.showDialog(owner)).map(File::toPath);
    }

    @Override
    public Optional<SaveAnswer> saveFile(FileQuestion question) {
        FileChooser fc = chooser(question);
        File f = fc.showSaveDialog(owner);
        if (f == null) {
            return Optional.empty();
        }
        FileChooser.ExtensionFilter selected = fc.getSelectedExtensionFilter();
        FileFilter filter = selected == null ? null : question.filters().stream()
                .filter(ff -> ff.description().equals(selected.getDescription())).findFirst().orElse(null);
        return Optional.of(new SaveAnswer(f.toPath(), filter));
    }

    @Override
    public boolean confirm(String title, String header, String content, String yes, String no) {
        ButtonType yesButton = new ButtonType(yes, ButtonBar.ButtonData.YES);
        ButtonType noButton = new ButtonType(no, ButtonBar.ButtonData.NO);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, content, yesButton, noButton);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(header);
        return a.showAndWait().filter(yesButton::equals).isPresent();
    }

    @Override
    public void showInformation(String title, String header, String content, boolean monospaced) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(owner);
        a.setTitle(title);
        a.setHeaderText(header);
        if (monospaced) {
            a.getDialogPane().setContent(new Label(content));
            a.getDialogPane().lookupAll(".label").forEach(n -> n.setStyle("-fx-font-family: monospace;"));
        } else {
            a.setContentText(content);
        }
        a.show();
    }

    @Override
    public boolean showDocument(URI uri) {
        if (hostServices == null) {
            return false;
        }
        hostServices.showDocument(uri.toString());
        return true;
    }

    private static FileChooser chooser(FileQuestion question) {
        FileChooser fc = new FileChooser();
        fc.setTitle(question.title());
        question.filters().forEach(f -> fc.getExtensionFilters().add(
                new FileChooser.ExtensionFilter(f.description(), f.patterns())));
        existing(question.initialDirectory()).ifPresent(fc::setInitialDirectory);
        if (question.initialFileName() != null) {
            fc.setInitialFileName(question.initialFileName());
        }
        return fc;
    }

    /** A chooser refuses a start folder that does not exist: fall back to the platform's. */
    private static Optional<File> existing(Path dir) {
        return Optional.ofNullable(dir).map(Path::toFile).filter(File::isDirectory);
    }
}
