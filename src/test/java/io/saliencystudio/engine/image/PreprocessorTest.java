package io.saliencystudio.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.InputSpec.ColorMode;
import io.saliencystudio.engine.model.Preprocessing;
import io.saliencystudio.engine.model.Preprocessing.ResizePolicy;
import org.junit.jupiter.api.Test;

class PreprocessorTest {

    private static final double[] MEAN = {0.485, 0.456, 0.406};
    private static final double[] STD = {0.229, 0.224, 0.225};

    /** An image whose pixel (x, y), channel c is {@code f(x, y, c)}. */
    private interface PixelFn {
        float at(int x, int y, int c);
    }

    private static RgbImage image(int w, int h, PixelFn f) {
        float[] d = new float[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    d[(y * w + x) * 3 + c] = f.at(x, y, c);
                }
            }
        }
        return new RgbImage(w, h, d);
    }

    private static Preprocessing stretch(double[] mean, double[] std) {
        return new Preprocessing(ResizePolicy.STRETCH, null, 255.0, mean, std);
    }

    private static Preprocessing crop(int shorter) {
        return new Preprocessing(ResizePolicy.SHORTER_CENTER_CROP, shorter, 255.0, MEAN, STD);
    }

    @Test
    void sameSizeIsNormalisedInFloat32ChwOrder() {
        RgbImage img = image(4, 3, (x, y, c) -> (x * 37 + y * 59 + c * 101) % 256);
        InputSpec spec = new InputSpec(3, 3, 4, ColorMode.RGB);

        ModelInput in = new Preprocessor(spec, stretch(MEAN, STD)).apply(img, "a.png");

        assertThat(in.source()).isEqualTo("a.png");
        assertThat(in.seen().data()).containsExactly(img.data());
        assertThat(in.tensor()).hasSize(36);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 3; y++) {
                for (int x = 0; x < 4; x++) {
                    float v = img.get(x, y, c);
                    // torchvision: ToTensor divides by 255 in float32, Normalize subtracts and divides in float32
                    float expected = (v / 255f - (float) MEAN[c]) / (float) STD[c];
                    assertThat(in.tensor()[c * 12 + y * 4 + x]).as("c=%d y=%d x=%d", c, y, x).isEqualTo(expected);
                }
            }
        }
        // hand check of one value: pixel (0, 0) red is 0 -> (0 - 0.485) / 0.229 = -2.117904
        assertThat(in.tensor()[0]).isCloseTo(-2.117904f, within(1e-5f));
        // pixel (0, 0) blue is 202 -> (202/255 - 0.406) / 0.225 = 0.386157 / 0.225 = 1.716253
        assertThat(in.tensor()[24]).isCloseTo(1.716253f, within(1e-5f));
    }

    @Test
    void meanOfTheWrongLengthIsRefused() {
        InputSpec grey = new InputSpec(1, 8, 8, ColorMode.GRAY);

        assertThatThrownBy(() -> new Preprocessor(grey, stretch(MEAN, STD)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mean/std have 3 values for 1 channels");
    }

    @Test
    void stretchResizesBothAxesIgnoringAspect() {
        RgbImage img = image(6, 4, (x, y, c) -> x * 10 + y + c);
        InputSpec spec = new InputSpec(3, 2, 3, ColorMode.RGB);

        ModelInput in = new Preprocessor(spec, stretch(new double[] {0, 0, 0}, new double[] {1, 1, 1})).apply(img, "s");

        assertThat(in.seen().width()).isEqualTo(3);
        assertThat(in.seen().height()).isEqualTo(2);
        assertThat(in.seen().data()).containsExactly(Resampler.resize(img, 3, 2).data());
        // PIL triangle weights when halving: x=1 averages columns 1..4 with weights 1,3,3,1 -> (10+60+90+40)/8 = 25,
        // x=0 uses columns 0..2 with 3,3,1 -> 50/7; y=0 uses rows 0..2 with 3,3,1 -> 5/7, y=1 rows 1..3 with 1,3,3 -> 16/7
        assertThat(in.seen().get(1, 0, 0)).isCloseTo(25f + 5f / 7f, within(1e-4f));
        assertThat(in.seen().get(0, 1, 2)).isCloseTo(50f / 7f + 16f / 7f + 2f, within(1e-4f));
        // scale 255, mean 0, std 1; CHW index of channel 0, y 0, x 1 is 1
        assertThat(in.tensor()[1]).isCloseTo((25f + 5f / 7f) / 255f, within(1e-6f));
    }

    @Test
    void shorterCenterCropOfALandscapeImage() {
        // torchvision: Resize(256) of 300x200 -> 384x256; CenterCrop(224): top = round(32 / 2) = 16, left = round(160 / 2) = 80
        RgbImage img = image(300, 200, (x, y, c) -> (x * 3 + y * 7 + c * 11) % 256);
        InputSpec spec = new InputSpec(3, 224, 224, ColorMode.RGB);

        ModelInput in = new Preprocessor(spec, crop(256)).apply(img, "l");

        assertThat(in.seen().width()).isEqualTo(224);
        assertThat(in.seen().height()).isEqualTo(224);
        assertThat(in.tensor()).hasSize(3 * 224 * 224);
        RgbImage expected = Resampler.crop(Resampler.resize(img, 384, 256), 80, 16, 224, 224);
        assertThat(in.seen().data()).containsExactly(expected.data());
    }

    @Test
    void shorterCenterCropOfAPortraitImage() {
        // 200x300 -> 256x384; top = 80, left = 16
        RgbImage img = image(200, 300, (x, y, c) -> (x * 5 + y * 3 + c) % 256);
        InputSpec spec = new InputSpec(3, 224, 224, ColorMode.RGB);

        ModelInput in = new Preprocessor(spec, crop(256)).apply(img, "p");

        RgbImage expected = Resampler.crop(Resampler.resize(img, 256, 384), 16, 80, 224, 224);
        assertThat(in.seen().data()).containsExactly(expected.data());
    }

    /**
     * End to end against torchvision 0.14 on a float image:
     * <pre>
     * /usr/bin/python3 -c 'import torchvision.transforms as T; from PIL import Image; import numpy as np;
     *   a = np.array([[float((x*3 + y*11) % 29) for x in range(30)] for y in range(20)], dtype=np.float32);
     *   c = np.asarray(T.CenterCrop(12)(T.Resize(16)(Image.fromarray(a, mode="F")))); print(c[y, x])'
     * </pre>
     * (Resize(16) gives 24x16; the crop starts at left 6, top 2.)
     */
    @Test
    void shorterCenterCropMatchesTorchvisionResizeAndCenterCrop() {
        RgbImage img = image(30, 20, (x, y, c) -> (x * 3 + y * 11) % 29);
        InputSpec spec = new InputSpec(3, 12, 12, ColorMode.RGB);

        RgbImage seen = new Preprocessor(spec, crop(16)).apply(img, "tv").seen();

        // {y, x, torchvision value}
        double[][] reference = {
            {0, 0, 22.16666603088379},
            {0, 11, 12.715277671813965},
            {11, 0, 17.25},
            {11, 11, 12.833333015441895},
            {5, 7, 8.25},
            {3, 9, 11.121794700622559},
        };
        for (double[] r : reference) {
            for (int c = 0; c < 3; c++) {
                assertThat(seen.get((int) r[1], (int) r[0], c)).as("y=%d x=%d", (int) r[0], (int) r[1])
                        .isCloseTo((float) r[2], within(1e-4f));
            }
        }
    }

    /**
     * torchvision's CenterCrop computes {@code int(round((257 - 224) / 2.0))} with Python's round-half-to-even: 16.5 ->
     * 16. Checked with {@code T.CenterCrop(8)(T.Resize(8)(img13x8))}, whose first row is columns 2..9 (2.5 -> 2).
     */
    @Test
    void centreCropOffsetRoundsHalfToEvenLikeTorchvision() {
        RgbImage img = image(13, 8, (x, y, c) -> x);
        InputSpec spec = new InputSpec(3, 8, 8, ColorMode.RGB);

        RgbImage seen = new Preprocessor(spec, crop(8)).apply(img, "odd").seen();

        // torchvision gives columns [2, 3, 4, 5, 6, 7, 8, 9]
        assertThat(seen.get(0, 0, 0)).isEqualTo(2f);
        assertThat(seen.get(7, 0, 0)).isEqualTo(9f);
    }

    @Test
    void centreCropOffsetThatIsNotATieMatchesTorchvision() {
        // 15x8: (15 - 8) / 2 = 3.5 -> both Python's round and Math.round give 4
        RgbImage img = image(15, 8, (x, y, c) -> x);
        InputSpec spec = new InputSpec(3, 8, 8, ColorMode.RGB);

        RgbImage seen = new Preprocessor(spec, crop(8)).apply(img, "odd").seen();

        assertThat(seen.get(0, 0, 0)).isEqualTo(4f);
        assertThat(seen.get(7, 5, 2)).isEqualTo(11f);
    }

    @Test
    void imageSmallerThanTheCropIsStretchedToTheInput() {
        // shorter side to 4 gives 8x4, too small for an 8x8 crop: stretched instead of padded
        RgbImage img = image(12, 6, (x, y, c) -> x + 10 * y);
        InputSpec spec = new InputSpec(3, 8, 8, ColorMode.RGB);

        RgbImage seen = new Preprocessor(spec, crop(4)).apply(img, "small").seen();

        assertThat(seen.width()).isEqualTo(8);
        assertThat(seen.height()).isEqualTo(8);
        assertThat(seen.data()).containsExactly(Resampler.resize(Resampler.resize(img, 8, 4), 8, 8).data());
    }

    @Test
    void greyModelsUseRec601Luma() {
        RgbImage img = new RgbImage(3, 1, new float[] {255, 0, 0, 0, 0, 255, 10, 20, 30});
        InputSpec spec = new InputSpec(1, 1, 3, ColorMode.GRAY);

        ModelInput in = new Preprocessor(spec, stretch(new double[] {0.5}, new double[] {0.5})).apply(img, "g");

        // luma: 0.299 * 255 = 76.245; 0.114 * 255 = 29.07; 0.299*10 + 0.587*20 + 0.114*30 = 18.15
        assertThat(in.seen().data()).containsExactly(new float[] {
            76.245f, 76.245f, 76.245f, 29.07f, 29.07f, 29.07f, 18.15f, 18.15f, 18.15f}, within(1e-4f));
        // (luma / 255 - 0.5) / 0.5: (0.299 - 0.5) / 0.5 = -0.402, (0.114 - 0.5) / 0.5 = -0.772, (18.15/255 - 0.5) / 0.5
        assertThat(in.tensor()).containsExactly(new float[] {-0.402f, -0.772f, 18.15f / 127.5f - 1f}, within(1e-6f));
    }

    @Test
    void imagenetPresetResizesTheShorterSideTo256For224() {
        Preprocessing p = Preprocessing.imagenet(224);

        assertThat(p.resize()).isEqualTo(ResizePolicy.SHORTER_CENTER_CROP);
        assertThat(p.resizeShorter()).isEqualTo(256);
        assertThat(p.mean()).containsExactly(0.485, 0.456, 0.406);
        assertThat(p.std()).containsExactly(0.229, 0.224, 0.225);
    }
}
