package io.saliencystudio.engine.explain.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.explain.Progress;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.InputSpec;
import org.junit.jupiter.api.Test;

class InputXGradientTest {

    @Test
    void signedSumOverChannelsOfInputTimesGradientFromTheSharedPass() {
        InputSpec spec = new InputSpec(3, 1, 2, null);
        float[] w = {1, -2, 3, 0.5f, -1, 4};
        float[] x = {2, 1, -1, 3, 0.5f, -0.25f};
        FakeNetwork net = new FakeNetwork(spec, FakeNetwork.preprocessing(0.5, 0.5), 16, FakeNetwork.linear(w));

        RawMap map = new InputXGradient().compute(net.context(x, MethodSettings.DEFAULTS, Progress.NONE), 0);

        assertThat((double) map.values()[0]).isCloseTo(2 * 1 + (-1) * 3 + 0.5 * -1, within(1e-6));
        assertThat((double) map.values()[1]).isCloseTo(1 * -2 + 3 * 0.5 + -0.25 * 4, within(1e-6));
        assertThat(net.gradientBatches).as("no pass of its own").isEmpty();
    }
}
