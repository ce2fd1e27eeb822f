package io.saliencystudio.engine.runtime;

import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The single thread on which all DJL work runs. DJL allows one gradient collector per process and autograd mode is
 * per thread, so one dedicated thread keeps both simple. Work is queued in submission order.
 */
public final class InferenceThread implements AutoCloseable {

    public static final String NAME = "inference";

    private final ExecutorService executor;
    private volatile Thread thread;

    public InferenceThread() {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, NAME);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        // Grad mode is on by default on new threads; keep it off except inside a gradient collector, so that
        // post-processing after backward does not record a graph.
        submit(() -> {
            TorchRuntime.engine();
            JniUtils.setGradMode(false);
            return null;
        });
    }

    public <T> CompletableFuture<T> submit(Callable<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        executor.execute(() -> {
            if (future.isCancelled()) {
                return;
            }
            try {
                future.complete(work.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        return future;
    }

    /** True when called from the inference thread itself. */
    public boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Asserts the caller is on the inference thread (native work elsewhere would break DJL's invariants). */
    public void checkCurrent() {
        if (!isCurrent()) {
            throw new IllegalStateException("DJL work must run on the inference thread, not " + Thread.currentThread().getName());
        }
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
