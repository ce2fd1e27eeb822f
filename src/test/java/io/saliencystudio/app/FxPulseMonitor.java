package io.saliencystudio.app;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import javafx.animation.AnimationTimer;

/**
 * Measures every frame on the FX thread: the thread's own CPU time since the previous frame (its work per pulse,
 * including layout and CSS, not time spent waiting for a core) and the wall-clock gap. Start and stop it on the FX
 * thread; the first frame only sets the baseline.
 */
public final class FxPulseMonitor extends AnimationTimer {

    /** Called on the FX thread for every frame after the first. */
    @FunctionalInterface
    public interface Frame {
        void measured(long cpuNanos, long gapNanos);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Frame frame;
    private long lastWall;
    private long lastCpu;

    public FxPulseMonitor(Frame frame) {
        this.frame = frame;
    }

    @Override
    public void handle(long now) {
        long wall = System.nanoTime();
        long cpu = THREADS.getCurrentThreadCpuTime();
        if (lastWall != 0) {
            frame.measured(cpu - lastCpu, wall - lastWall);
        }
        lastWall = wall;
        lastCpu = cpu;
    }
}
