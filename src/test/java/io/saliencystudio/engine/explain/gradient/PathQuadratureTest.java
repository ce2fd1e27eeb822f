package io.saliencystudio.engine.explain.gradient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.MethodSettings.Quadrature;
import org.junit.jupiter.api.Test;

class PathQuadratureTest {

    /** {@code numpy.polynomial.legendre.leggauss(5)} (numpy 1.24). */
    private static final double[] NUMPY_NODES_5 =
            {-0.906179845938664, -0.5384693101056831, 0.0, 0.5384693101056831, 0.906179845938664};
    private static final double[] NUMPY_WEIGHTS_5 =
            {0.23692688505618942, 0.4786286704993662, 0.568888888888889, 0.4786286704993662, 0.23692688505618942};

    @Test
    void gaussLegendreNodesAndWeightsEqualNumpyLeggauss() {
        double[][] rule = PathQuadrature.gaussLegendre(5);

        for (int i = 0; i < 5; i++) {
            assertThat(rule[0][i]).isCloseTo(NUMPY_NODES_5[i], within(1e-15));
            assertThat(rule[1][i]).isCloseTo(NUMPY_WEIGHTS_5[i], within(1e-15));
        }
        double[][] fifty = PathQuadrature.gaussLegendre(50);
        // leggauss(50): first three and the 26th node/weight.
        assertThat(fifty[0][0]).isCloseTo(-0.998866404420071, within(1e-14));
        assertThat(fifty[0][2]).isCloseTo(-0.9853540840480058, within(1e-14));
        assertThat(fifty[1][1]).isCloseTo(0.006759799195745505, within(1e-14));
        assertThat(fifty[0][25]).isCloseTo(0.031098338327188876, within(1e-14));
        assertThat(fifty[1][25]).isCloseTo(0.062176616655347, within(1e-14));
    }

    @Test
    void gaussLegendreOnTheUnitPathIntegratesPolynomialsUpToDegree2nMinus1Exactly() {
        PathQuadrature q = PathQuadrature.of(Quadrature.GAUSS_LEGENDRE, 50);

        for (int degree : new int[] {0, 1, 7, 42, 99}) {
            double sum = 0;
            for (int i = 0; i < q.size(); i++) {
                sum += q.weights()[i] * Math.pow(q.alphas()[i], degree);
            }
            assertThat(sum).as("integral of a^%d on [0,1]", degree).isCloseTo(1.0 / (degree + 1), within(1e-13));
        }
        assertThat(q.alphas()).isSorted();
        assertThat(q.alphas()[0]).isGreaterThan(0);
        assertThat(q.alphas()[49]).isLessThan(1);
    }

    @Test
    void riemannRulesFollowCaptumsLinspaces() {
        assertThat(PathQuadrature.of(Quadrature.RIEMANN_LEFT, 4).alphas()).containsExactly(0, 0.25, 0.5, 0.75);
        assertThat(PathQuadrature.of(Quadrature.RIEMANN_RIGHT, 4).alphas()).containsExactly(0.25, 0.5, 0.75, 1);
        assertThat(PathQuadrature.of(Quadrature.RIEMANN_MIDDLE, 4).alphas()).containsExactly(0.125, 0.375, 0.625, 0.875);
        assertThat(PathQuadrature.of(Quadrature.RIEMANN_MIDDLE, 4).weights()).containsExactly(0.25, 0.25, 0.25, 0.25);
        PathQuadrature trapezoid = PathQuadrature.of(Quadrature.RIEMANN_TRAPEZOID, 5);
        assertThat(trapezoid.alphas()).containsExactly(0, 0.25, 0.5, 0.75, 1);
        assertThat(trapezoid.weights()).containsExactly(0.125, 0.25, 0.25, 0.25, 0.125);
    }

    @Test
    void trapezoidWithOneStepIsRefusedWithAHint() {
        assertThatThrownBy(() -> PathQuadrature.of(Quadrature.RIEMANN_TRAPEZOID, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 steps");
    }
}
