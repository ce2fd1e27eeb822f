package io.saliencystudio.testing;

import java.util.concurrent.Executor;

/**
 * Runs each task at once on the calling thread. Stands in for {@code Platform::runLater} and the image-io threads in
 * view-model tests, so a call and everything it triggers have finished when it returns: no toolkit, no waiting.
 */
public enum SameThreadExecutor implements Executor {
    INSTANCE;

    @Override
    public void execute(Runnable task) {
        task.run();
    }
}
