package io.saliencystudio.app.images;

import io.saliencystudio.app.service.ImageSource;
import io.saliencystudio.engine.explain.Prediction;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.image.Image;

/**
 * One row of the image list: the file, its preview, the current model's prediction, and an error when the file
 * cannot be read. {@code truth} is the label from a {@code labels.csv} beside the file, if any.
 */
public final class ImageItem {

    private final ImageSource source;
    private final GroundTruth truth;
    private final ObjectProperty<Image> thumbnail = new SimpleObjectProperty<>(this, "thumbnail");
    private final ObjectProperty<Prediction> prediction = new SimpleObjectProperty<>(this, "prediction");
    private final StringProperty error = new SimpleStringProperty(this, "error");
    private final StringProperty note = new SimpleStringProperty(this, "note", "");

    public ImageItem(ImageSource source, GroundTruth truth) {
        this.source = source;
        this.truth = truth;
    }

    public ImageSource source() {
        return source;
    }

    public String name() {
        return source.name();
    }

    /** Ground truth from {@code labels.csv}, or {@code null}. */
    public GroundTruth truth() {
        return truth;
    }

    public ObjectProperty<Image> thumbnailProperty() {
        return thumbnail;
    }

    public ObjectProperty<Prediction> predictionProperty() {
        return prediction;
    }

    public Prediction prediction() {
        return prediction.get();
    }

    public StringProperty errorProperty() {
        return error;
    }

    /** The user's note on this image (kept in the session; empty when none). */
    public StringProperty noteProperty() {
        return note;
    }

    public boolean failed() {
        return error.get() != null;
    }

    @Override
    public String toString() {
        return source.name();
    }
}
