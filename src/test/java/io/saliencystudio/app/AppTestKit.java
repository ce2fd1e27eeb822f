package io.saliencystudio.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.saliencystudio.app.prefs.AppPreferences;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import org.testfx.util.WaitForAsyncUtils;

/** Helpers shared by the app tests: the default model, fresh preferences, waiting, running on the UI thread. */
public final class AppTestKit {

    public static final Path MODELS = Path.of("models").toAbsolutePath();
    public static final Path SAMPLES = Path.of("assets", "samples").toAbsolutePath();

    private AppTestKit() {}

    /** The model the app opens by default (committed, as are its samples). */
    public static Path defaultModel() {
        return MODELS.resolve("shapes");
    }

    public static Path samplesOf(Path model) {
        return SAMPLES.resolve(model.getFileName().toString());
    }

    /** Preferences under the test node (surefire sets it), emptied. */
    public static AppPreferences freshPrefs(String child) {
        String node = System.getProperty(AppPreferences.NODE_PROPERTY, "io/saliencystudio/test") + "/" + child;
        AppPreferences prefs = new AppPreferences(Preferences.userRoot().node(node));
        prefs.clear();
        return prefs;
    }

    public static AppConfig config(Path tmp) {
        return new AppConfig(MODELS, SAMPLES, tmp.resolve("logs"), tmp.resolve("pasted"), 64L << 20, 64L << 20);
    }

    public static void waitUntil(String what, long seconds, BooleanSupplier condition) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, () -> onFx(condition::getAsBoolean));
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + seconds + " s waiting for: " + what);
        }
    }

    /** Runs on the UI thread and returns the result (from a test thread). */
    public static <T> T onFx(Callable<T> work) {
        if (Platform.isFxApplicationThread()) {
            try {
                return work.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        try {
            return WaitForAsyncUtils.asyncFx(work).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("UI-thread work failed", e);
        }
    }

    public static void onFx(Runnable work) {
        onFx(() -> {
            work.run();
            return null;
        });
    }

    /** Lets pending runLater work and a pulse or two happen. */
    /** Ends a test that built its own app on the FX thread: the monitor stopped, then the app and its stage closed. */
    public static void closeOnFx(FxPulseMonitor monitor, AppContext ctx, javafx.stage.Stage stage) {
        onFx(() -> {
            monitor.stop();
            if (ctx != null) {
                ctx.close();
            }
            if (stage != null) {
                stage.close();
            }
        });
    }

    public static void settle() {
        WaitForAsyncUtils.waitForFxEvents(3);
    }

    /** ARGB pixels of an image (any thread). */
    public static int[] pixels(Image image) {
        assertThat(image).as("image").isNotNull();
        int w = (int) image.getWidth();
        int h = (int) image.getHeight();
        int[] out = new int[w * h];
        PixelReader r = image.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = r.getArgb(x, y);
            }
        }
        return out;
    }

    /** Number of pixels that differ between two same-sized images. */
    public static int differingPixels(int[] a, int[] b) {
        assertThat(a.length).isEqualTo(b.length);
        int n = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != b[i]) {
                n++;
            }
        }
        return n;
    }

    /** The visible cell showing row {@code index} of a list (lookups return cells in no particular order). */
    public static javafx.scene.control.ListCell<?> cell(javafx.scene.control.ListView<?> list, int index) {
        list.scrollTo(index);
        list.layout();
        return list.lookupAll(".list-cell").stream().map(n -> (javafx.scene.control.ListCell<?>) n)
                .filter(c -> c.getIndex() == index && c.isVisible() && !c.isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no visible cell for row " + index));
    }

    /** Copies {@code count} files from the samples of {@code model} into {@code dir} (fresh names). */
    public static java.util.List<Path> copySamples(Path model, Path dir, int count) throws IOException {
        java.util.List<Path> src;
        try (var s = Files.list(samplesOf(model))) {
            src = s.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        Files.createDirectories(dir);
        java.util.List<Path> out = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path to = dir.resolve(String.format("copy-%03d.png", i));
            Files.copy(src.get(i % src.size()), to);
            out.add(to);
        }
        return out;
    }
}
