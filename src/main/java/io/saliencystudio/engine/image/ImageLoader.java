package io.saliencystudio.engine.image;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes image files into {@link RgbImage}: PNG (8/16-bit, grey, palette, alpha), JPEG (incl. CMYK through
 * TwelveMonkeys), GIF (first frame), BMP, TIFF (first page); applies EXIF orientation so photos are upright. Alpha is dropped, as
 * PIL's {@code convert("RGB")} does, so the tensor matches what a Python pipeline would feed the model.
 */
public final class ImageLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ImageLoader.class);

    /**
     * The file extensions (lower case, without the dot) of the formats this loader reads, in the order a file chooser
     * lists them. Folders are searched for these; a file named explicitly is tried whatever its extension.
     */
    public static final List<String> READABLE_EXTENSIONS = List.of("png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff");
    /** The formats of {@link #READABLE_EXTENSIONS} in words, for messages. */
    public static final String READABLE_FORMATS = "PNG, JPEG, GIF, BMP, TIFF";

    /** Refuse images with more pixels than this before decoding them (decompression bombs). */
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    /** System property overriding {@link #DEFAULT_MAX_PIXELS} for the app and the CLI. */
    public static final String MAX_PIXELS_PROPERTY = "saliency.image.maxPixels";

    private final long maxPixels;

    /** A loader with the configured pixel limit ({@value #MAX_PIXELS_PROPERTY}, else the default). */
    public ImageLoader() {
        this(configuredMaxPixels());
    }

    /** The pixel limit set with {@value #MAX_PIXELS_PROPERTY}; the default when unset or not a positive number. */
    public static long configuredMaxPixels() {
        String given = System.getProperty(MAX_PIXELS_PROPERTY);
        try {
            long v = given == null ? DEFAULT_MAX_PIXELS : Long.parseLong(given.strip().replace("_", ""));
            return v > 0 ? v : DEFAULT_MAX_PIXELS;
        } catch (NumberFormatException e) {
            LOG.warn("{}={} is not a number; using {}", MAX_PIXELS_PROPERTY, given, DEFAULT_MAX_PIXELS);
            return DEFAULT_MAX_PIXELS;
        }
    }

    /** Whether the file's name ends in one of {@link #READABLE_EXTENSIONS} (ignoring case). */
    public static boolean hasReadableExtension(Path file) {
        Path name = file.getFileName();
        String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        return dot > 0 && READABLE_EXTENSIONS.contains(n.substring(dot + 1));
    }

    public ImageLoader(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    public RgbImage load(Path file) throws ImageLoadException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageLoadException(file + ": no such file");
        } catch (IOException e) {
            throw new ImageLoadException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (bytes.length == 0) {
            throw new ImageLoadException(file + " is empty (0 bytes): it is not an image");
        }
        RgbImage image = decode(bytes, file.toString());
        return Orientation.apply(image, exifOrientation(bytes));
    }

    /** Decodes bytes; {@code name} is used in messages only. */
    public RgbImage decode(byte[] bytes, String name) throws ImageLoadException {
        BufferedImage img;
        // Straight over the bytes: ImageIO's default stream caches them in a temporary file, which made decoding a
        // 28x28 PNG about 3x slower (audit of 10,000 images).
        try (ImageInputStream in = new ByteArrayImageInputStream(bytes)) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageLoadException(name + " is not an image in a format this app reads ("
                        + READABLE_FORMATS + "): convert it to PNG or JPEG");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw new ImageLoadException(name + " is " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " pixels, over the limit of " + maxPixels + ": downscale it first");
                }
                img = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (ImageLoadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageLoadException(name + " could not be decoded (truncated or corrupt file?); re-save it or use "
                    + "another copy (" + e.getMessage() + ")", e);
        }
        if (img == null) {
            throw new ImageLoadException(name + " could not be decoded: unsupported image encoding");
        }
        return toRgb(img);
    }

    static RgbImage toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        float[] out = new float[w * h * 3];
        Raster raster = img.getRaster();
        int bands = raster.getNumBands();
        // Component images (grey, RGB, 8 or 16 bit) are read sample by sample: going through getRGB() would apply
        // Java's linear-grey colour conversion and change grey values.
        if (img.getColorModel() instanceof ComponentColorModel && (bands == 1 || bands == 2 || bands == 3 || bands == 4)
                && img.getColorModel().getColorSpace().getNumComponents() == (bands <= 2 ? 1 : 3)) {
            int bits = img.getColorModel().getComponentSize(0);
            float scale = raster.getDataBuffer().getDataType() == DataBuffer.TYPE_FLOAT ? 255f : 255f / ((1 << bits) - 1);
            boolean grey = bands <= 2;
            float[] px = new float[bands];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    raster.getPixel(x, y, px);
                    int o = (y * w + x) * 3;
                    if (grey) {
                        float v = px[0] * scale;
                        out[o] = v;
                        out[o + 1] = v;
                        out[o + 2] = v;
                    } else {
                        out[o] = px[0] * scale;
                        out[o + 1] = px[1] * scale;
                        out[o + 2] = px[2] * scale;
                    }
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                img.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int argb = row[x];
                    int o = (y * w + x) * 3;
                    out[o] = (argb >> 16) & 0xff;
                    out[o + 1] = (argb >> 8) & 0xff;
                    out[o + 2] = argb & 0xff;
                }
            }
        }
        return new RgbImage(w, h, out);
    }

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /**
     * Whether a PNG certainly holds no EXIF: neither an {@code eXIf} chunk nor a text chunk keyed "Raw profile type
     * exif" (both spellings are plain ASCII in the file, the latter's keyword precedes its compressed data).
     * Parsing the metadata of such a file cost more than decoding a small one.
     */
    static boolean pngWithoutExif(byte[] bytes) {
        if (bytes.length < PNG_MAGIC.length || !java.util.Arrays.equals(bytes, 0, PNG_MAGIC.length, PNG_MAGIC, 0,
                PNG_MAGIC.length)) {
            return false;
        }
        for (int i = PNG_MAGIC.length; i + 3 < bytes.length; i++) {
            if ((bytes[i] == 'e' || bytes[i] == 'E') && (bytes[i + 1] == 'x' || bytes[i + 1] == 'X')
                    && (bytes[i + 2] == 'i' || bytes[i + 2] == 'I') && (bytes[i + 3] == 'f' || bytes[i + 3] == 'F')) {
                return false;
            }
        }
        return true;
    }

    private static int exifOrientation(byte[] bytes) {
        if (pngWithoutExif(bytes)) {
            return 1;
        }
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(bytes));
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                return exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
            }
        } catch (Exception e) {
            // Metadata is optional: an image without readable EXIF is shown as stored.
            LOG.debug("no EXIF orientation: {}", e.toString());
        }
        return 1;
    }
}
