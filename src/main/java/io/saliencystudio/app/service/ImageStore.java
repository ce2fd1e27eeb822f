package io.saliencystudio.app.service;

import io.saliencystudio.engine.image.ImageLoadException;
import io.saliencystudio.engine.image.ImageLoader;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.image.Preprocessor;
import io.saliencystudio.engine.image.RgbImage;
import io.saliencystudio.engine.model.ModelPackage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Decoding and preprocessing, off the UI thread and off the inference thread (pure Java, so it can overlap with
 * inference). Keeps the model-ready tensors in a bounded LRU keyed by (image, model): explaining the same image again,
 * for another class or layer, does not decode it again. Decoded originals are not kept (a photo is ~150 MB as floats).
 */
public final class ImageStore {

    /** Longest side of list previews, in pixels. */
    public static final int THUMBNAIL_SIZE = 56;

    private record Key(String image, String model) {}

    private final ImageLoader loader = new ImageLoader();
    private final Executor io;
    private final LruCache<Key, PreparedImage> prepared;
    private final java.util.concurrent.ConcurrentHashMap<Key, CompletableFuture<PreparedImage>> inFlight =
            new java.util.concurrent.ConcurrentHashMap<>();

    public ImageStore(Executor io, long maxBytes) {
        this.io = io;
        this.prepared = new LruCache<>(maxBytes,
                p -> 8L * p.input().tensor().length + 4L * p.thumbnail().argb().length);
    }

    /**
     * The image decoded, previewed and preprocessed for {@code pkg}; from the cache when possible. Fails with an
     * {@link ImageLoadException} (wrapped in the future) for unreadable files.
     */
    public CompletableFuture<PreparedImage> prepare(ImageSource source, ModelPackage pkg) {
        Key key = new Key(source.id(), modelKey(pkg));
        var hit = prepared.get(key);
        if (hit.isPresent()) {
            return CompletableFuture.completedFuture(hit.get());
        }
        // One decode per image even when the list preview and the explanation ask for it at the same time.
        CompletableFuture<PreparedImage> f = inFlight.computeIfAbsent(key,
                k -> CompletableFuture.supplyAsync(() -> decode(source, pkg, k), io));
        f.whenComplete((p, e) -> inFlight.remove(key, f));
        return f;
    }

    private PreparedImage decode(ImageSource source, ModelPackage pkg, Key key) {
        try {
            RgbImage image = loader.load(source.path());
            ModelInput input = new Preprocessor(pkg.manifest().input(), pkg.manifest().preprocessing())
                    .apply(image, source.path().toString());
            PreparedImage p = new PreparedImage(source, thumbnail(image), input);
            prepared.put(key, p);
            return p;
        } catch (ImageLoadException e) {
            throw new CompletionException(e);
        }
    }

    /** Identity of a model for caches: its file and content hash. */
    public static String modelKey(ModelPackage pkg) {
        return pkg.modelFile() + "#" + pkg.manifest().sha256();
    }

    public void clear() {
        prepared.clear();
    }

    /** Box-filtered downscale: previews stay legible for fine textures where nearest-neighbour would alias. */
    public static Thumbnail thumbnail(RgbImage image) {
        int w = image.width();
        int h = image.height();
        double scale = Math.min(1.0, (double) THUMBNAIL_SIZE / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * scale));
        int th = Math.max(1, (int) Math.round(h * scale));
        int[] out = new int[tw * th];
        float[] d = image.data();
        for (int ty = 0; ty < th; ty++) {
            int y0 = (int) ((long) ty * h / th);
            int y1 = Math.max(y0 + 1, (int) ((long) (ty + 1) * h / th));
            for (int tx = 0; tx < tw; tx++) {
                int x0 = (int) ((long) tx * w / tw);
                int x1 = Math.max(x0 + 1, (int) ((long) (tx + 1) * w / tw));
                // Sample at most 8x8 source pixels per preview pixel: enough for a preview, bounded for huge photos.
                int sy = Math.max(1, (y1 - y0) / 8);
                int sx = Math.max(1, (x1 - x0) / 8);
                float r = 0;
                float g = 0;
                float b = 0;
                int n = 0;
                for (int y = y0; y < y1; y += sy) {
                    for (int x = x0; x < x1; x += sx) {
                        int i = (y * w + x) * 3;
                        r += d[i];
                        g += d[i + 1];
                        b += d[i + 2];
                        n++;
                    }
                }
                out[ty * tw + tx] = 0xff000000 | (clamp(r / n) << 16) | (clamp(g / n) << 8) | clamp(b / n);
            }
        }
        return new Thumbnail(tw, th, out, w, h);
    }

    private static int clamp(float v) {
        return Math.min(255, Math.max(0, Math.round(v)));
    }
}
