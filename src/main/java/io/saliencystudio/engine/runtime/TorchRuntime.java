package io.saliencystudio.engine.runtime;

import ai.djl.engine.Engine;

/**
 * The one place that starts DJL's PyTorch engine. The switches must be set before any DJL class reads them:
 * offline mode and no tracking (DJL calls home on start otherwise), and a thread count.
 */
public final class TorchRuntime {

    private static volatile Engine engine;

    private TorchRuntime() {}

    /** Sets DJL's switches; cheap and idempotent, call it early (before anything touches {@code ai.djl}). */
    public static void configure() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", Integer.toString(defaultThreads()));
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
    }

    /** Threads for intra-op parallelism: the cores there are, since the app runs one request at a time. */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
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

    /** Intra-op threads libtorch is configured with (read from the setting, so no native call from any thread). */
    public static int threads() {
        configure();
        return Integer.getInteger("ai.djl.pytorch.num_threads", defaultThreads());
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
