package io.saliencystudio.engine.model;

import java.util.Arrays;

/**
 * How a tap's tensor is laid out, and the one conversion between that layout and the {@code (C, H, W)} view every
 * layer method works on. A Swin stage outputs {@code (N, H, W, C)} and a ViT block {@code (N, T, C)} with a class
 * token before its grid; reading either as {@code (N, C, H, W)} yields a map of the right size that means nothing, so
 * the layout comes from the manifest (the export tool decides it from the graph) and is never guessed here.
 *
 * @param kind how the axes are ordered
 * @param shape the tap tensor's shape without the batch axis, in its own layout (the probe has exactly this shape)
 * @param prefixTokens tokens before the grid ({@link Kind#TOKENS}: class, distillation or register tokens), else 0
 * @param gridHeight grid rows, 0 when the tap has no spatial grid
 * @param gridWidth grid columns, 0 when the tap has no spatial grid
 */
public record TapLayout(Kind kind, int[] shape, int prefixTokens, int gridHeight, int gridWidth) {

    /** Axis orders the export tool records ({@code "layout"} in the manifest). */
    public enum Kind {
        /** {@code (N, C, H, W)}: convolutional feature maps; manifests without a layout. */
        NCHW,
        /** {@code (N, H, W, C)}: Swin stages, ConvNeXt block internals after a permute. */
        NHWC,
        /** {@code (N, T, C)}: T = leading non-grid tokens + H * W grid tokens in row-major order. */
        TOKENS,
        /** {@code (N, C)} or tokens without a grid: pooled outputs, class tokens. */
        FLAT
    }

    public TapLayout {
        shape = shape.clone();
        int expected = switch (kind) {
            case NCHW, NHWC -> 3;
            case TOKENS -> 2;
            case FLAT -> -1;
        };
        if (expected > 0 && shape.length != expected) {
            throw new IllegalArgumentException(kind + " tap shape must have " + expected + " dimensions, got "
                    + Arrays.toString(shape));
        }
        if (kind == Kind.TOKENS && gridHeight > 0 && prefixTokens + gridHeight * gridWidth != shape[0]) {
            throw new IllegalArgumentException("a tokens tap of " + shape[0] + " tokens cannot hold " + prefixTokens
                    + " leading tokens and a " + gridHeight + "x" + gridWidth + " grid");
        }
        if (prefixTokens < 0 || gridHeight < 0 || gridWidth < 0) {
            throw new IllegalArgumentException("negative token or grid count in a tap layout");
        }
    }

    public static TapLayout nchw(int channels, int height, int width) {
        return new TapLayout(Kind.NCHW, new int[] {channels, height, width}, 0, height, width);
    }

    public static TapLayout nhwc(int height, int width, int channels) {
        return new TapLayout(Kind.NHWC, new int[] {height, width, channels}, 0, height, width);
    }

    /** Tokens with a grid; {@code gridHeight} 0 for tokens whose grid the export could not decide. */
    public static TapLayout tokens(int tokens, int channels, int prefixTokens, int gridHeight, int gridWidth) {
        if (gridHeight <= 0 || gridWidth <= 0) {
            return new TapLayout(Kind.TOKENS, new int[] {tokens, channels}, prefixTokens, 0, 0);
        }
        return new TapLayout(Kind.TOKENS, new int[] {tokens, channels}, prefixTokens, gridHeight, gridWidth);
    }

    public static TapLayout flat(int... shape) {
        return new TapLayout(Kind.FLAT, shape, 0, 0, 0);
    }

    /** Whether the tap has a spatial grid, i.e. whether layer methods (the CAM family) can use it. */
    public boolean spatial() {
        return gridHeight > 0 && gridWidth > 0 && kind != Kind.FLAT;
    }

    /** Why layer methods cannot use this tap, or null when they can. */
    public String unavailableReason() {
        if (spatial()) {
            return null;
        }
        return kind == Kind.TOKENS
                ? "its " + shape[0] + " tokens have no spatial grid the export could decide"
                : "it has no spatial grid (a pooled output or a class token)";
    }

    /** Channels of the {@code (C, H, W)} view. */
    public int channels() {
        return switch (kind) {
            case NCHW -> shape[0];
            case NHWC -> shape[2];
            case TOKENS -> shape[1];
            case FLAT -> shape.length == 0 ? 0 : shape[shape.length - 1];
        };
    }

    /** Values per image in the tap's own layout. */
    public int rawSize() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Values per image in the {@code (C, H, W)} view. */
    public int chwSize() {
        return channels() * gridHeight * gridWidth;
    }

    /** One image's tap tensor, in its own layout, as {@code (C, H, W)}: leading tokens are dropped. */
    public float[] toChw(float[] raw) {
        requireSpatial();
        if (raw.length != rawSize()) {
            throw new IllegalArgumentException("a tap tensor of " + raw.length + " values does not have shape "
                    + Arrays.toString(shape));
        }
        if (kind == Kind.NCHW) {
            return raw;
        }
        // NHWC and tokens are both "positions x channels" once the leading tokens are skipped.
        int c = channels();
        int positions = gridHeight * gridWidth;
        int skip = kind == Kind.TOKENS ? prefixTokens * c : 0;
        float[] chw = new float[c * positions];
        for (int p = 0; p < positions; p++) {
            int from = skip + p * c;
            for (int k = 0; k < c; k++) {
                chw[k * positions + p] = raw[from + k];
            }
        }
        return chw;
    }

    /**
     * A {@code (C, H, W)} array back in the tap's own layout; leading tokens get {@code prefix} (the original
     * activation's values, to run the network on from this tap), or zeros when {@code prefix} is null (a probe adds
     * nothing there).
     */
    public float[] fromChw(float[] chw, float[] prefix) {
        requireSpatial();
        if (chw.length != chwSize()) {
            throw new IllegalArgumentException("a map of " + chw.length + " values does not fit " + channels() + "x"
                    + gridHeight + "x" + gridWidth);
        }
        if (kind == Kind.NCHW) {
            return chw;
        }
        int c = channels();
        int positions = gridHeight * gridWidth;
        int skip = kind == Kind.TOKENS ? prefixTokens * c : 0;
        float[] raw = new float[rawSize()];
        if (prefix != null && skip > 0) {
            System.arraycopy(prefix, 0, raw, 0, skip);
        }
        for (int p = 0; p < positions; p++) {
            int to = skip + p * c;
            for (int k = 0; k < c; k++) {
                raw[to + k] = chw[k * positions + p];
            }
        }
        return raw;
    }

    /** "197 tokens → 14×14 + 1", "7×7×768 (NHWC)", "768 (no grid)" or "C×H×W" for listings. */
    public String describe() {
        return switch (kind) {
            case NCHW -> shape[0] + "x" + shape[1] + "x" + shape[2];
            case NHWC -> shape[2] + "x" + shape[0] + "x" + shape[1] + " (NHWC)";
            case TOKENS -> spatial()
                    ? shape[0] + " tokens -> " + gridHeight + "x" + gridWidth
                            + (prefixTokens > 0 ? " + " + prefixTokens : "") + " · " + shape[1] + " ch"
                    : shape[0] + " tokens x " + shape[1] + " (no grid)";
            case FLAT -> String.join("x", Arrays.stream(shape).mapToObj(Integer::toString).toList()) + " (no grid)";
        };
    }

    /** The manifest's {@code "layout"} value. */
    public String id() {
        return kind == Kind.TOKENS ? "tokens" : kind.name().equals("FLAT") ? "flat" : kind.name();
    }

    private void requireSpatial() {
        if (!spatial()) {
            throw new IllegalStateException("this tap cannot be used by layer methods: " + unavailableReason());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TapLayout t && kind == t.kind && Arrays.equals(shape, t.shape)
                && prefixTokens == t.prefixTokens && gridHeight == t.gridHeight && gridWidth == t.gridWidth;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * kind.hashCode() + Arrays.hashCode(shape)) + prefixTokens * 961 + gridHeight * 31
                + gridWidth;
    }

    @Override
    public String toString() {
        return id() + Arrays.toString(shape) + (prefixTokens > 0 ? "+" + prefixTokens : "");
    }
}
