package io.saliencystudio.engine.runtime;

import ai.djl.pytorch.jni.JniUtils;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
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

    /**
     * Live inference threads, drained by one JVM shutdown hook: libtorch's static destructors run when the process
     * exits, and a daemon thread still inside a native pass at that moment crashes the JVM (measured: SIGSEGV in
     * {@code dnnl_primitive_execute} when a test JVM or the app exited mid-explanation). The hook makes exit wait for
     * the pass in flight and drops queued work.
     */
    private static final Set<InferenceThread> LIVE = ConcurrentHashMap.newKeySet();
    /** The threads of every inference executor, for {@link #checkCurrent()}; a thread leaves when its executor closes. */
    private static final Set<Thread> THREADS = ConcurrentHashMap.newKeySet();
    /** Set by the shutdown hook: process exit is one per JVM, as the hook is, so this is static on purpose. */
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(InferenceThread::drainAll, "inference-drain"));
    }

    private final ExecutorService executor;
    private volatile Thread thread;

    public InferenceThread() {
        executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, NAME);
            t.setDaemon(true);
            thread = t;
            THREADS.add(t);
            return t;
        });
        LIVE.add(this);
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

    /**
     * Throws unless the caller is an inference thread. Every native entry point of {@link LoadedModel} and
     * {@link TorchNetwork} calls this: grad mode is per thread and only one gradient collector may exist per process,
     * so native work on any other thread (the UI's, a CLI worker's) would break DJL's invariants, sometimes silently.
     *
     * @throws IllegalStateException naming the calling thread
     */
    public static void checkCurrent() {
        Thread t = Thread.currentThread();
        if (!THREADS.contains(t)) {
            throw new IllegalStateException("Native model work must run on the '" + NAME + "' thread (through "
                    + "ExplanationEngine), not on '" + t.getName() + "'");
        }
    }

    /**
     * Throws {@link CancellationException} once the JVM is exiting; multi-pass work calls this before each native pass
     * so exit waits for at most one pass.
     */
    public static void checkNotExiting() {
        if (exiting) {
            throw new CancellationException("the application is closing");
        }
    }

    private static void drainAll() {
        exiting = true;
        for (InferenceThread t : LIVE) {
            t.executor.shutdownNow();
        }
        for (InferenceThread t : LIVE) {
            try {
                t.executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        LIVE.remove(this);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            Thread t = thread;
            if (t != null) {
                THREADS.remove(t); // after the queued work, which may still check
            }
        }
    }
}
