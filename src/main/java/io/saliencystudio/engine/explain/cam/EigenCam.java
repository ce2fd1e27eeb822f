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
        // Centred channels, kept channel-major (row k = channel k over positions) so that Gram entries are dot
        // products of contiguous rows.
        double[] centred = new double[channels * hw];
        double[] channelSum = new double[hw];
        for (int k = 0; k < channels; k++) {
            double mean = 0;
            for (int p = 0; p < hw; p++) {
                mean += a[k * hw + p];
            }
            mean /= hw;
            for (int p = 0; p < hw; p++) {
                centred[k * hw + p] = a[k * hw + p] - mean;
                channelSum[p] += a[k * hw + p];
            }
        }
        double[] projection = channels <= hw ? projectViaChannels(centred, channels, hw)
                : projectViaPositions(centred, channels, hw);
        orient(projection, channelSum);
        float[] out = new float[hw];
        for (int p = 0; p < hw; p++) {
            out[p] = (float) Math.max(projection[p], 0);
        }
        return out;
    }

    /*
     * M is the (H*W) x C matrix of centred activations. A full SVD of M is slow for the shapes that occur
     * (e.g. 3136 x 256 at a ResNet-50 layer1: seconds in EJML), so the SVD is taken of the Gram matrix of the smaller
     * side instead: the right singular vectors of M are the singular vectors of M^T M, and M v1 = s1 u1 where u1 is
     * the top singular vector of M M^T and s1^2 its singular value. Both give M's projection on its first right
     * singular vector; the sign is fixed afterwards either way.
     */

    /** {@code M v1} with v1 the top singular vector of the C x C matrix {@code M^T M} (when C <= H*W). */
    private static double[] projectViaChannels(double[] centred, int channels, int hw) {
        DMatrixRMaj gram = new DMatrixRMaj(channels, channels);
        for (int k = 0; k < channels; k++) {
            for (int l = k; l < channels; l++) {
                double dot = 0;
                for (int p = 0; p < hw; p++) {
                    dot += centred[k * hw + p] * centred[l * hw + p];
                }
                gram.unsafe_set(k, l, dot);
                gram.unsafe_set(l, k, dot);
            }
        }
        TopVector v = top(gram);
        double[] out = new double[hw];
        for (int k = 0; k < channels; k++) {
            double w = v.vector[k];
            for (int p = 0; p < hw; p++) {
                out[p] += centred[k * hw + p] * w;
            }
        }
        return out;
    }

    /** {@code s1 u1} with u1 the top singular vector of the (H*W) x (H*W) matrix {@code M M^T} (when H*W < C). */
    private static double[] projectViaPositions(double[] centred, int channels, int hw) {
        double[] gram = new double[hw * hw];
        for (int k = 0; k < channels; k++) {
            int base = k * hw;
            for (int p = 0; p < hw; p++) {
                double ap = centred[base + p];
                for (int q = p; q < hw; q++) {
                    gram[p * hw + q] += ap * centred[base + q];
                }
            }
        }
        for (int p = 0; p < hw; p++) {
            for (int q = 0; q < p; q++) {
                gram[p * hw + q] = gram[q * hw + p];
            }
        }
        TopVector u = top(DMatrixRMaj.wrap(hw, hw, gram));
        double s1 = Math.sqrt(Math.max(u.value, 0));
        double[] out = new double[hw];
        for (int p = 0; p < hw; p++) {
            out[p] = s1 * u.vector[p];
        }
        return out;
    }

    private record TopVector(double value, double[] vector) {}

    /** The singular vector of the largest singular value of a symmetric positive semi-definite matrix. */
    private static TopVector top(DMatrixRMaj symmetric) {
        int n = symmetric.numRows;
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(n, n, false, true, true);
        if (!svd.decompose(symmetric.copy())) {
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
        double[] vector = new double[n];
        for (int i = 0; i < n; i++) {
            vector[i] = v.unsafe_get(i, best);
        }
        return new TopVector(singular[best], vector);
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
