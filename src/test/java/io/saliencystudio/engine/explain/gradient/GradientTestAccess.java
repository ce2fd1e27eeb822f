package io.saliencystudio.engine.explain.gradient;

import io.saliencystudio.engine.explain.Network;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.explain.RawMap;
import java.util.Iterator;
import java.util.List;

/** Opens the package-visible entry points to tests in other packages (the engine's parity test). */
public final class GradientTestAccess {

    private GradientTestAccess() {}

    /** SmoothGrad averaged over exactly these perturbations (e.g. a reference implementation's noise). */
    public static RawMap smoothGrad(Network network, float[] x, int target, List<float[]> perturbations,
            boolean squared) {
        Iterator<float[]> it = perturbations.iterator();
        return SmoothGrad.average(network, x, target, it::next, perturbations.size(), squared, Progress.NONE);
    }
}
