package io.saliencystudio.engine.sanity;

import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Progress;
import java.util.List;
import java.util.function.Predicate;

/**
 * The private model copy a cascade works on, seen as the four things the cascade does to it. The engine-backed one
 * is {@link EngineSubject}; tests use fakes to check the order of work, the fixed class and the cleanup.
 */
interface CascadeSubject extends AutoCloseable {

    /** Learnable parameter names, in the order the model lists them. */
    List<String> parameterNames();

    /** Explains the image with every requested method; {@code target} null = the copy's top prediction. */
    Explanation explain(Integer target, Progress progress);

    /** Randomises, in place and for good, the parameters that pass {@code which}. */
    void randomize(long seed, Predicate<String> which);

    /** The layer the layer methods use, for the report; null when none is used or known. */
    default String layer() {
        return null;
    }

    /** Releases the copy; called exactly once, also after a failure or a cancel. */
    @Override
    void close();
}
