package io.saliencystudio.engine.image;

import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.Preprocessing;

/** Turns a decoded image into the tensor a model expects, following its manifest. Pure Java, no native code. */
public final class Preprocessor {

    private final InputSpec spec;
    private final Preprocessing pre;

    public Preprocessor(InputSpec spec, Preprocessing pre) {
        if (pre.mean().length != spec.channels()) {
            throw new IllegalArgumentException("mean/std have " + pre.mean().length + " values for " + spec.channels() + " channels");
        }
        this.spec = spec;
        this.pre = pre;
    }

    public ModelInput apply(RgbImage image, String source) {
        RgbImage geometry = switch (pre.resize()) {
            case STRETCH -> Resampler.resize(image, spec.width(), spec.height());
            case SHORTER_CENTER_CROP -> shorterCenterCrop(image);
        };
        RgbImage seen = spec.colorMode() == InputSpec.ColorMode.GRAY ? toGrey(geometry) : geometry;
        return new ModelInput(spec, normalise(seen), seen, source);
    }

    /** torchvision's {@code Resize(s)} (shorter side to s, longer side truncated) then {@code CenterCrop(H, W)}. */
    private RgbImage shorterCenterCrop(RgbImage image) {
        int s = pre.resizeShorter();
        int w = image.width();
        int h = image.height();
        int nw = w <= h ? s : (int) ((long) s * w / h);
        int nh = w <= h ? (int) ((long) s * h / w) : s;
        RgbImage resized = Resampler.resize(image, nw, nh);
        if (nw < spec.width() || nh < spec.height()) {
            // Smaller than the crop: stretch instead of padding, so the model still sees the whole image.
            return Resampler.resize(resized, spec.width(), spec.height());
        }
        // Half-to-even like Python's round(), which torchvision's CenterCrop uses.
        int top = (int) Math.rint((nh - spec.height()) / 2.0);
        int left = (int) Math.rint((nw - spec.width()) / 2.0);
        return Resampler.crop(resized, left, top, spec.width(), spec.height());
    }

    private static RgbImage toGrey(RgbImage img) {
        float[] d = img.data();
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i += 3) {
            float l = 0.299f * d[i] + 0.587f * d[i + 1] + 0.114f * d[i + 2];
            out[i] = l;
            out[i + 1] = l;
            out[i + 2] = l;
        }
        return new RgbImage(img.width(), img.height(), out);
    }

    /** In float32 and in torchvision's order ({@code ToTensor} then {@code Normalize}), so tensors match bit for bit. */
    private float[] normalise(RgbImage seen) {
        int hw = spec.height() * spec.width();
        float[] t = new float[spec.size()];
        float[] d = seen.data();
        float scale = (float) pre.scale();
        for (int c = 0; c < spec.channels(); c++) {
            float mean = (float) pre.mean()[c];
            float std = (float) pre.std()[c];
            for (int i = 0; i < hw; i++) {
                t[c * hw + i] = (d[i * 3 + c] / scale - mean) / std;
            }
        }
        return t;
    }
}
