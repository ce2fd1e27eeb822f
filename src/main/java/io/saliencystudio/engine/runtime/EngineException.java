package io.saliencystudio.engine.runtime;

/** A request the engine could not carry out; the message is meant for the user. */
public class EngineException extends RuntimeException {

    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
