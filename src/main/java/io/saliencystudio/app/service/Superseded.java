package io.saliencystudio.app.service;

import java.util.concurrent.CancellationException;

/** Thrown inside a pipeline whose request is no longer the latest: a newer one replaced it, or the user cancelled. */
final class Superseded extends CancellationException {

    Superseded() {
        super("superseded by a newer request");
    }

    static boolean is(Throwable t) {
        Throwable c = t;
        while (c != null) {
            if (c instanceof CancellationException) {
                return true;
            }
            c = c.getCause();
        }
        return false;
    }
}
