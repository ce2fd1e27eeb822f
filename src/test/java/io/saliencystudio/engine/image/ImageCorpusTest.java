package io.saliencystudio.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.within;

import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.runtime.LoadedModel;
import io.saliencystudio.testing.TestModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The image half of the regression corpus ({@code src/test/resources/corpus/images/}, written by
 * {@code src/test/python/make_image_corpus.py}): one row per kind of file users drop into the window. Readable ones
 * must decode to the pixels they hold (upright, alpha dropped, first frame); unreadable ones must be refused with a
 * sentence that names the file and says what to do. After every row a good image still goes through preprocessing
 * and the engine, so no file leaves the loader or the engine broken.
 */
class ImageCorpusTest {

    static final Path CORPUS = Path.of("src/test/resources/corpus/images");
    static final float[] RED = {255, 0, 0};
    static final float[] GREEN = {0, 255, 0};
    static final float[] BLUE = {0, 0, 255};
    static final float[] WHITE = {255, 255, 255};

    @TempDir
    static Path tmp;

    record Case(String file, Consumer<RgbImage> check, List<String> says) {
        static Case reads(String file, Consumer<RgbImage> check) {
            return new Case(file, check, List.of());
        }

        static Case refused(String file, String... says) {
            return new Case(file, null, List.of(says));
        }

        @Override
        public String toString() {
            return file;
        }
    }

    static Stream<Case> corpus() throws IOException {
        return Stream.of(
                Case.refused("zero-byte.png", "is empty (0 bytes): it is not an image"),
                Case.refused("truncated.png", "could not be decoded (truncated or corrupt file?); re-save it or use another copy"),
                Case.refused("truncated.jpg", "could not be decoded (truncated or corrupt file?); re-save it or use another copy"),
                Case.refused("html-named.png",
                        "is not an image in a format this app reads (PNG, JPEG, GIF, BMP, TIFF): convert it to PNG or JPEG"),
                Case.refused("unsupported.webp",
                        "is not an image in a format this app reads (PNG, JPEG, GIF, BMP, TIFF): convert it to PNG or JPEG"),
                Case.refused(bomb().toString(), "is 100000x100000 pixels, over the limit of 100000000: downscale it first"),
                Case.reads("grey-16bit.png", img -> {
                    assertThat(img.width()).isEqualTo(16);
                    assertThat(img.get(3, 0, 0)).isEqualTo(0f);
                    assertThat(img.get(3, 15, 1)).isCloseTo(255f, within(0.01f));
                    assertThat(img.get(3, 5, 2)).isCloseTo(5 * 65535 / 15 * 255f / 65535, within(0.01f));
                }),
                Case.reads("cmyk.jpg", img -> quadrants(img, 16, 16, 40)),
                Case.reads("palette.png", img -> quadrants(img, 16, 16, 0)),
                Case.reads("alpha.png", img -> quadrants(img, 16, 16, 0)),
                // Stored 32x16 with EXIF orientation 6: shown upright, 16 wide and 32 high.
                Case.reads("exif-rotated.jpg", img -> quadrants(img, 16, 32, 12)),
                Case.reads("animated.gif", img -> {
                    assertThat(img.width()).isEqualTo(8);
                    assertPixel(img, 4, 4, RED, 0); // the first frame; the second is blue
                }),
                Case.reads("one-pixel.png", img -> {
                    assertThat(img.width()).isEqualTo(1);
                    assertThat(img.height()).isEqualTo(1);
                    assertPixel(img, 0, 0, new float[] {10, 200, 30}, 0);
                }));
    }

    /** A PNG whose header claims 100,000 x 100,000 pixels (10 GP) followed by almost nothing. */
    static Path bomb() throws IOException {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(100_000).putInt(100_000).put(new byte[] {8, 2, 0, 0, 0});
        byte[] type = "IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(ihdr.array());
        ByteBuffer png = ByteBuffer.allocate(8 + 25 + 12)
                .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10})
                .putInt(13).put(type).put(ihdr.array()).putInt((int) crc.getValue())
                .putInt(0).put("IDAT".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(0);
        Path p = tmp.resolve("bomb.png");
        Files.write(p, png.array());
        return p;
    }

    private static void quadrants(RgbImage img, int w, int h, float tolerance) {
        assertThat(img.width()).isEqualTo(w);
        assertThat(img.height()).isEqualTo(h);
        assertPixel(img, w / 4, h / 4, RED, tolerance);
        assertPixel(img, 3 * w / 4, h / 4, GREEN, tolerance);
        assertPixel(img, w / 4, 3 * h / 4, BLUE, tolerance);
        assertPixel(img, 3 * w / 4, 3 * h / 4, WHITE, tolerance);
    }

    private static void assertPixel(RgbImage img, int x, int y, float[] rgb, float tolerance) {
        for (int c = 0; c < 3; c++) {
            assertThat(img.get(x, y, c)).as("(%d,%d) channel %d", x, y, c).isCloseTo(rgb[c], within(tolerance));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachFileDecodesToItsPixelsOrIsRefusedWithASentenceAndTheNextImageWorks(Case c) throws Exception {
        Path file = c.file().startsWith("/") ? Path.of(c.file()) : CORPUS.resolve(c.file());
        ImageLoader loader = new ImageLoader();
        if (c.check() != null) {
            c.check().accept(loader.load(file));
        } else {
            Throwable error = catchThrowable(() -> loader.load(file));
            System.out.printf("image corpus | %s | refused | %s%n", c.file(), error.getMessage());
            assertThat(error).isInstanceOf(ImageLoadException.class);
            assertThat(error.getMessage()).startsWith(file.toString()).contains(c.says()).doesNotContain("\n");
        }

        LoadedModel model = TestModels.load("shapes");
        RgbImage good = loader.load(TestModels.SAMPLES.resolve("shapes").resolve(firstSample()));
        ModelInput in = new Preprocessor(model.manifest().input(), model.manifest().preprocessing()).apply(good, "good");
        Explanation e = TestModels.engine().explain(model,
                ExplainRequest.of(List.of(in), null, EnumSet.of(Method.SALIENCY), null)).join().get(0);
        assertThat(e.result(Method.SALIENCY).map().rawMax()).isGreaterThan(0f);
    }

    @org.junit.jupiter.api.Test
    void thePixelLimitIsConfigurableWithASystemProperty() throws Exception {
        Path file = CORPUS.resolve("grey-16bit.png");
        System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, "100");
        try {
            assertThat(ImageLoader.configuredMaxPixels()).isEqualTo(100);
            assertThat(catchThrowable(() -> new ImageLoader().load(file)))
                    .hasMessage(file + " is 16x16 pixels, over the limit of 100: downscale it first");
            System.setProperty(ImageLoader.MAX_PIXELS_PROPERTY, "lots");
            assertThat(ImageLoader.configuredMaxPixels()).isEqualTo(ImageLoader.DEFAULT_MAX_PIXELS);
        } finally {
            System.clearProperty(ImageLoader.MAX_PIXELS_PROPERTY);
        }
        assertThat(new ImageLoader().load(file).width()).isEqualTo(16);
    }

    private static String firstSample() throws IOException {
        try (var s = Files.list(TestModels.SAMPLES.resolve("shapes"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().findFirst()
                    .orElseThrow();
        }
    }
}
