package io.saliencystudio.engine.image;

/** An image that cannot be decoded; the message names the file and says what to do. */
public class ImageLoadException extends Exception {

    public ImageLoadException(String message) {
        super(message);
    }

    public ImageLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
