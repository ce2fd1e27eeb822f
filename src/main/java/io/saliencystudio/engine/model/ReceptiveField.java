package io.saliencystudio.engine.model;

/**
 * Where the cells of a tap's grid look in the input: cell {@code (i, j)} is centred on input point
 * {@code (centerY + i * strideY, centerX + j * strideX)}, in pixels of the model's input with the image's top-left
 * corner at 0 (pixel {@code k} spans {@code [k, k + 1)}). Plain {@code align_corners=False} upsampling draws that cell
 * at {@code ((i + 0.5) * H / h, (j + 0.5) * W / w)} instead, which in padded, strided networks lies up to half a cell
 * away (a ResNet-50's {@code layer4}: 16 px on a 224-px input). Recorded per tap by the export tool
 * ({@code "receptiveField"} in the manifest).
 */
public record ReceptiveField(double strideY, double strideX, double centerY, double centerX) {

    public ReceptiveField {
        if (!(strideY > 0) || !(strideX > 0) || !Double.isFinite(centerY) || !Double.isFinite(centerX)) {
            throw new IllegalArgumentException("a receptive field needs positive strides and finite centres, got stride "
                    + strideY + "x" + strideX + ", centre " + centerY + "," + centerX);
        }
    }

    /**
     * Whether it places cells where plain upsampling of a {@code gridH x gridW} grid to {@code inH x inW} does
     * (within a hundredth of a pixel): then the two upsamplings give the same map.
     */
    public boolean matchesPlainUpsampling(int gridH, int gridW, int inH, int inW) {
        double sy = (double) inH / gridH;
        double sx = (double) inW / gridW;
        return Math.abs(sy - strideY) < 1e-2 && Math.abs(sx - strideX) < 1e-2
                && Math.abs(0.5 * sy - centerY) < 1e-2 && Math.abs(0.5 * sx - centerX) < 1e-2;
    }

    /** "stride 32, cell (0,0) at (15.5, 15.5) px" for captions and metadata. */
    public String describe() {
        return "stride " + number(strideY) + (strideX == strideY ? "" : "x" + number(strideX)) + ", cell (0,0) at ("
                + number(centerY) + ", " + number(centerX) + ") px";
    }

    private static String number(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
