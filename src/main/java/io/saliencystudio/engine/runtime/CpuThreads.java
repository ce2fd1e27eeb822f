package io.saliencystudio.engine.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How many intra-op threads libtorch gets. One explanation runs at a time, so the useful maximum is the physical
 * cores: hyper-threads share a core's vector units, and beyond about 8 threads a single image's convolutions stop
 * getting faster while other programs get slower. Pure functions plus one read of {@code /sys}, so the choice is
 * testable without the engine.
 */
public final class CpuThreads {

    /** Environment variable that sets the thread count for the app and the CLI. */
    public static final String ENV = "SALIENCY_STUDIO_THREADS";
    /** System property with the same meaning (wins over the environment variable). */
    public static final String PROPERTY = "saliency.threads";
    /** DJL's own setting; if given explicitly it wins over everything else. */
    public static final String DJL_PROPERTY = "ai.djl.pytorch.num_threads";
    /** Upper bound of the automatic choice (an explicit setting may exceed it). */
    public static final int MAX_DEFAULT = 8;
    /** Upper bound of any setting: more than this is a typo, not a machine. */
    public static final int MAX = 1024;

    private CpuThreads() {}

    /** The default for batch work (CLI): the physical cores this process may use, at most {@value #MAX_DEFAULT}. */
    public static int forBatch() {
        return Math.min(MAX_DEFAULT, physicalCores(Runtime.getRuntime().availableProcessors(), Topology.SIBLINGS));
    }

    /** The CPU topology, read once (it does not change while the process runs). */
    private static final class Topology {
        static final List<String> SIBLINGS = siblingLists();
    }

    /**
     * The default for the desktop app: as {@link #forBatch()} but leaving one logical core to the UI, rendering and
     * decoding threads (on a busy 2-core machine a 28x28 explanation took ~250 ms with 2 threads and ~6 ms with 1).
     */
    public static int forDesktop() {
        int logical = Runtime.getRuntime().availableProcessors();
        return Math.max(1, Math.min(forBatch(), logical - 1));
    }

    /**
     * Decoding threads for a pipeline that decodes beside inference (an audit): one up to 7 logical CPUs, then one
     * per 4, at most 4.
     */
    public static int forDecoding() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 4));
    }

    /**
     * libtorch threads beside {@code decoding} busy decoding threads: the physical cores left, at least one. On 2
     * cores that is 1 + 1: with 2 libtorch threads and a decoder competing, libtorch's threads wait for each other
     * at every operator.
     */
    public static int besideDecoding(int decoding) {
        return Math.max(1, forBatch() - decoding);
    }

    /**
     * The thread count to use: {@code -Dai.djl.pytorch.num_threads}, else {@code -Dsaliency.threads}, else
     * {@code SALIENCY_STUDIO_THREADS}, else {@code fallback}.
     *
     * @throws IllegalArgumentException naming the setting when a given value is not a whole number in 1..{@value #MAX}
     */
    public static int resolve(Map<String, String> properties, Map<String, String> env, int fallback) {
        String djl = properties.get(DJL_PROPERTY);
        if (djl != null && !djl.isBlank()) {
            return parse(djl, "-D" + DJL_PROPERTY);
        }
        String prop = properties.get(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return parse(prop, "-D" + PROPERTY);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return parse(fromEnv, ENV);
        }
        return fallback;
    }

    /** Checks a user-given count; the message names where it came from. */
    public static int parse(String value, String source) {
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(source + " is '" + value + "': give a whole number of threads from 1 to "
                + MAX);
    }

    /**
     * Physical cores among {@code logical} usable CPUs, from each CPU's {@code thread_siblings_list} (CPUs that
     * share one core list the same siblings). Without that information, the logical count.
     */
    static int physicalCores(int logical, Collection<String> siblingLists) {
        Set<String> cores = new HashSet<>();
        for (String s : siblingLists) {
            cores.add(s.trim());
        }
        if (cores.isEmpty()) {
            return Math.max(1, logical);
        }
        // Hyper-threads per core on this machine; a CPU quota (container) may allow fewer CPUs than exist.
        int threadsPerCore = Math.max(1, Math.round((float) siblingLists.size() / cores.size()));
        return Math.max(1, Math.min(cores.size(), logical / threadsPerCore));
    }

    private static List<String> siblingLists() {
        Path cpus = Path.of("/sys/devices/system/cpu");
        if (!Files.isDirectory(cpus)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(cpus)) {
            return s.filter(p -> p.getFileName().toString().matches("cpu\\d+"))
                    .map(p -> p.resolve("topology/thread_siblings_list"))
                    .filter(Files::isReadable)
                    .map(CpuThreads::read)
                    .filter(v -> !v.isEmpty())
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
