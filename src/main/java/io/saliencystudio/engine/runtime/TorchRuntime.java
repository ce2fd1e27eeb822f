package io.saliencystudio.engine.runtime;

import ai.djl.engine.Engine;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place that starts DJL's PyTorch engine. The switches must be set before any DJL class reads them:
 * offline mode and no tracking (DJL calls home on start otherwise), and a thread count ({@link CpuThreads}).
 */
public final class TorchRuntime {

    /**
     * Static on purpose: libtorch is one per process (DJL's {@code Engine.getEngine} is itself a process singleton),
     * so an instance here would only pretend there could be two. Started lazily, once.
     */
    private static volatile Engine engine;
    /** Whether the thread count was chosen by the user (a setting or {@code --threads}), not by a default. */
    private static volatile Boolean threadsGiven;

    private TorchRuntime() {}

    /** Sets DJL's switches with the batch default thread count; see {@link #configure(int)}. */
    public static void configure() {
        noteGivenThreads();
        if (System.getProperty(CpuThreads.DJL_PROPERTY) != null) {
            setIfAbsent("ai.djl.offline", "true");
            setIfAbsent("OPT_OUT_TRACKING", "true");
            setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
            return; // the usual case after the first call: no need to work out a default again
        }
        configure(CpuThreads.forBatch());
    }

    /**
     * Sets DJL's switches; cheap and idempotent, call it early (before anything touches {@code ai.djl}). The thread
     * count comes from {@link CpuThreads#resolve} ({@code -Dai.djl.pytorch.num_threads}, {@code -Dsaliency.threads},
     * {@code SALIENCY_STUDIO_THREADS}), else {@code defaultThreads}; the first call that finds none decides.
     *
     * @throws IllegalArgumentException when a thread setting is not a whole number in range (the message names it)
     */
    public static void configure(int defaultThreads) {
        noteGivenThreads();
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        if (System.getProperty(CpuThreads.DJL_PROPERTY) == null) {
            Map<String, String> given = new HashMap<>();
            given.put(CpuThreads.PROPERTY, System.getProperty(CpuThreads.PROPERTY));
            int n = CpuThreads.resolve(given, System.getenv(), defaultThreads);
            System.setProperty(CpuThreads.DJL_PROPERTY, Integer.toString(n));
        }
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    /**
     * Sets libtorch's intra-op thread count (the CLI's {@code --threads}). Only before the engine starts: libtorch
     * reads it once.
     *
     * @throws IllegalStateException when the engine already runs with another count
     */
    public static void setThreads(int n) {
        int checked = CpuThreads.parse(Integer.toString(n), "--threads");
        synchronized (TorchRuntime.class) {
            if (engine != null && checked != threads()) {
                throw new IllegalStateException("The engine already runs with " + threads() + " threads: give "
                        + "--threads before anything else runs");
            }
            System.setProperty(CpuThreads.DJL_PROPERTY, Integer.toString(checked));
            threadsGiven = true;
        }
    }

    /** The first configuration sees whether a thread setting was given before any default was filled in. */
    private static synchronized void noteGivenThreads() {
        if (threadsGiven == null) {
            threadsGiven = CpuThreads.resolve(Map.of(), System.getenv(), -1) != -1
                    || System.getProperty(CpuThreads.DJL_PROPERTY) != null
                    || System.getProperty(CpuThreads.PROPERTY) != null;
        }
    }

    /**
     * Uses {@code n} intra-op threads unless the user chose a count ({@code --threads}, {@code -Dsaliency.threads},
     * {@code SALIENCY_STUDIO_THREADS}, {@code -Dai.djl.pytorch.num_threads}) or the engine already runs (then its
     * count stays). For work that keeps other threads busy beside inference, such as decoding in an audit.
     *
     * @return the count the engine will use
     */
    public static synchronized int preferThreads(int n) {
        configure();
        if (!Boolean.TRUE.equals(threadsGiven) && engine == null) {
            System.setProperty(CpuThreads.DJL_PROPERTY, Integer.toString(CpuThreads.parse(Integer.toString(n), "threads")));
        }
        return threads();
    }

    /** Starts the engine (first call extracts the native library, ~2 s on an empty cache). */
    public static Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (TorchRuntime.class) {
                if (engine == null) {
                    configure();
                    try {
                        engine = Engine.getEngine("PyTorch");
                    } catch (RuntimeException | UnsatisfiedLinkError err) {
                        throw new EngineException("The PyTorch engine could not start: " + err.getMessage()
                                + ". The native library ships in pytorch-native-cpu; check that the jar is on the class path", err);
                    }
                }
                e = engine;
            }
        }
        return e;
    }

    /**
     * Turns TorchScript's graph executor optimisation off for the calling thread (libtorch keeps the switch per
     * thread; models load and run on the inference thread, which calls this), unless
     * {@code -Dsaliency.graphOptimizer=true}. With it on, a forward that records gradients runs through autodiff
     * subgraphs (ReLU backward as gt + mul, extra copies) and the first two calls profile the graph; without it the
     * ops run as in eager PyTorch. Measured on ResNet-50 (2 threads, noise input, medians of 30): saliency +
     * Grad-CAM 105-110 ms instead of 120-137 ms, a plain forward 46-47 ms either way.
     */
    static void applyGraphOptimizerSetting() {
        ai.djl.pytorch.jni.JniUtils.setGraphExecutorOptimize(Boolean.getBoolean(GRAPH_OPTIMIZER_PROPERTY));
    }

    /** {@code -Dsaliency.graphOptimizer=true} restores libtorch's default (see {@link #applyGraphOptimizerSetting}). */
    public static final String GRAPH_OPTIMIZER_PROPERTY = "saliency.graphOptimizer";

    /** Intra-op threads libtorch is configured with (read from the setting, so no native call from any thread). */
    public static int threads() {
        configure();
        return Integer.getInteger(CpuThreads.DJL_PROPERTY, CpuThreads.forBatch());
    }

    public static String version() {
        return engine().getVersion();
    }

    /** Whether a CUDA device is visible to this engine (needs the CUDA flavour of the native library). */
    public static boolean gpuAvailable() {
        return engine().getGpuCount() > 0;
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
