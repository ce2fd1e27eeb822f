package io.saliencystudio.engine.model;

import java.util.Arrays;

/**
 * How a decoded image becomes the model's input tensor: resize, divide by {@code scale}, subtract {@code mean},
 * divide by {@code std} (per channel). Mirrors what torchvision transforms do for the exported model.
 */
public record Preprocessing(ResizePolicy resize, Integer resizeShorter, double scale, double[] mean, double[] std) {

    public Preprocessing {
        if (resize == null) {
            resize = ResizePolicy.STRETCH;
        }
        if (resize == ResizePolicy.SHORTER_CENTER_CROP && (resizeShorter == null || resizeShorter <= 0)) {
            throw new IllegalArgumentException("resize 'shorter-center-crop' needs a positive resizeShorter");
        }
        if (scale <= 0) {
            throw new IllegalArgumentException("scale must be positive, got " + scale);
        }
        if (mean == null || std == null || mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std must be given with one value per channel");
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** ImageNet statistics with torchvision's usual 256 -> 224 resize and centre crop. */
    public static Preprocessing imagenet(int size) {
        return new Preprocessing(ResizePolicy.SHORTER_CENTER_CROP, Math.round(size * 256f / 224f), 255.0,
                new double[] {0.485, 0.456, 0.406}, new double[] {0.229, 0.224, 0.225});
    }

    @Override
    public double[] mean() {
        return mean.clone();
    }

    @Override
    public double[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && resize == p.resize && java.util.Objects.equals(resizeShorter, p.resizeShorter)
                && scale == p.scale && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(resize, resizeShorter, scale, Arrays.hashCode(mean), Arrays.hashCode(std));
    }

    @Override
    public String toString() {
        return resize.id() + (resizeShorter == null ? "" : " " + resizeShorter) + ", /" + scale
                + ", mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std);
    }

    public enum ResizePolicy {
        /** Bilinear straight to H x W, ignoring the aspect ratio. */
        STRETCH("stretch"),
        /** Bilinear so the shorter side is {@code resizeShorter}, then a centred H x W crop (torchvision's habit). */
        SHORTER_CENTER_CROP("shorter-center-crop");

        private final String id;

        ResizePolicy(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static ResizePolicy fromId(String id) {
            for (ResizePolicy p : values()) {
                if (p.id.equals(id)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown resize policy '" + id + "' (expected stretch or shorter-center-crop)");
        }
    }
}
