package io.saliencystudio.engine.model;

/** A model package or model file that cannot be used; the message says what is wrong and what to do. */
public class ModelPackageException extends Exception {

    public ModelPackageException(String message) {
        super(message);
    }

    public ModelPackageException(String message, Throwable cause) {
        super(message, cause);
    }
}
