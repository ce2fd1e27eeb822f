package io.saliencystudio.engine.explain.cam;

import io.saliencystudio.engine.explain.Attribution;
import io.saliencystudio.engine.explain.AttributionContext;
import io.saliencystudio.engine.explain.RawMap;
import io.saliencystudio.engine.model.LayerTap;
import java.util.Map;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Eigen-CAM (Muhammad and Yeasin 2020): the activations as an {@code (H*W) x C} matrix, each channel centred by its
 * mean over positions, projected on the first right singular vector (the first principal component of the channel
 * vectors), reshaped to H x W, ReLU. It uses no gradient and no class: the same map for every target.
 *
 * <p>A singular vector's sign is arbitrary (numerical libraries differ, and pytorch-grad-cam does not fix it, so its
 * maps can come out inverted). The sign is fixed here so that the projection correlates positively with the
 * channel sum of A, i.e. the map highlights where the activations are strong; with zero correlation the largest
 * projection value (by magnitude) is made positive. Both rules are recorded in the map's details.
 */
public final class EigenCam implements Attribution {

    static final String SIGN_CONVENTION =
            "projection correlates positively with the channel sum of A (ties: largest |value| positive)";

    @Override
    public RawMap compute(AttributionContext context, int image) {
        LayerTap tap = context.tap();
        float[] a = CamMath.activation(context, image);
        return new RawMap(map(a, tap.channels(), tap.height() * tap.width()), tap.width(), tap.height(),
                Map.of("signConvention", SIGN_CONVENTION, "classAgnostic", true));
    }

    /** The ReLU'd projection for a CHW activation of {@code channels * hw} floats. */
    static float[] map(float[] a, int channels, int hw) {
        DMatrixRMaj m = new DMatrixRMaj(hw, channels);
        double[] channelSum = new double[hw];
        for (int k = 0; k < channels; k++) {
            double mean = 0;
            for (int p = 0; p < hw; p++) {
                mean += a[k * hw + p];
            }
            mean /= hw;
            for (int p = 0; p < hw; p++) {
                m.unsafe_set(p, k, a[k * hw + p] - mean);
                channelSum[p] += a[k * hw + p];
            }
        }
        double[] projection = project(m, hw, channels);
        orient(projection, channelSum);
        float[] out = new float[hw];
        for (int p = 0; p < hw; p++) {
            out[p] = (float) Math.max(projection[p], 0);
        }
        return out;
    }

    /** {@code M v1}, v1 the right singular vector of the largest singular value (zeros when M is zero). */
    private static double[] project(DMatrixRMaj m, int rows, int cols) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(rows, cols, false, true, true);
        DMatrixRMaj copy = m.copy();
        if (!svd.decompose(copy)) {
            throw new IllegalStateException("Eigen-CAM: the singular value decomposition did not converge");
        }
        double[] singular = svd.getSingularValues();
        int best = 0;
        for (int i = 1; i < svd.numberOfSingularValues(); i++) {
            if (singular[i] > singular[best]) {
                best = i;
            }
        }
        DMatrixRMaj v = svd.getV(null, false);
        double[] out = new double[rows];
        for (int p = 0; p < rows; p++) {
            double s = 0;
            for (int k = 0; k < cols; k++) {
                s += m.unsafe_get(p, k) * v.unsafe_get(k, best);
            }
            out[p] = s;
        }
        return out;
    }

    /** Flips the projection in place so that it follows the sign convention. */
    static void orient(double[] projection, double[] channelSum) {
        int n = projection.length;
        double meanP = 0;
        double meanS = 0;
        for (int p = 0; p < n; p++) {
            meanP += projection[p];
            meanS += channelSum[p];
        }
        meanP /= n;
        meanS /= n;
        double covariance = 0;
        int largest = 0;
        for (int p = 0; p < n; p++) {
            covariance += (projection[p] - meanP) * (channelSum[p] - meanS);
            if (Math.abs(projection[p]) > Math.abs(projection[largest])) {
                largest = p;
            }
        }
        boolean flip = covariance < 0 || (covariance == 0 && projection[largest] < 0);
        if (flip) {
            for (int p = 0; p < n; p++) {
                projection[p] = -projection[p];
            }
        }
    }
}
