package io.saliencystudio.app.dataset;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import javafx.animation.AnimationTimer;

/**
 * Runs steps on the FX thread, one per animation pulse, so that each step, with the CSS and layout passes of what it
 * adds to a scene, lands in a frame of its own instead of all in the first frame of a window (the data set window's
 * opening cost 95-210 ms of FX-thread CPU in one frame when built and shown at once). Start and use on the FX thread.
 */
final class OnePerPulse extends AnimationTimer {

    private final Deque<Runnable> steps;

    OnePerPulse(List<Runnable> steps) {
        this.steps = new ArrayDeque<>(steps);
    }

    @Override
    public void handle(long now) {
        Runnable step = steps.poll();
        if (step != null) {
            step.run();
        }
        if (steps.isEmpty()) {
            stop();
        }
    }

    boolean done() {
        return steps.isEmpty();
    }
}
