package io.saliencystudio.app.status;

import java.nio.file.Path;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where view-models report problems. Each notice is logged (with its cause, so the log file has the details) and
 * published for the notification bar, which shows the latest one. UI thread only.
 */
public final class NotificationCenter {

    private static final Logger LOG = LoggerFactory.getLogger(NotificationCenter.class);
    /** Stack traces go here, at INFO: into the app's log file, not onto the console. */
    private static final Logger DETAILS = LoggerFactory.getLogger(NotificationCenter.class.getName() + ".details");
    private static final int HISTORY = 200;

    private final ReadOnlyObjectWrapper<Notice> latest = new ReadOnlyObjectWrapper<>(this, "latest");
    private final ObservableList<Notice> history = FXCollections.observableArrayList();
    private final Path logFile;

    public NotificationCenter(Path logFile) {
        this.logFile = logFile;
    }

    public void error(String message, Throwable cause) {
        LOG.error(message);
        if (cause != null) {
            DETAILS.info("details of: {}", message, cause);
        }
        publish(Notice.error(message));
    }

    public void warning(String message) {
        LOG.warn(message);
        publish(Notice.warning(message));
    }

    public void info(String message) {
        LOG.info(message);
        publish(Notice.info(message));
    }

    /** An info notice with one action button (run on the UI thread when pressed). */
    public void info(String message, String actionText, Runnable action) {
        LOG.info(message);
        publish(Notice.info(message, actionText, action));
    }

    private void publish(Notice notice) {
        history.add(notice);
        if (history.size() > HISTORY) {
            history.remove(0);
        }
        latest.set(notice);
    }

    /** Hides the current notice (the bar's close button). */
    public void dismiss() {
        latest.set(null);
    }

    public ReadOnlyObjectProperty<Notice> latestProperty() {
        return latest.getReadOnlyProperty();
    }

    public ObservableList<Notice> history() {
        return FXCollections.unmodifiableObservableList(history);
    }

    /** The log file with details, or {@code null} when logging to a file is off. */
    public Path logFile() {
        return logFile;
    }
}
