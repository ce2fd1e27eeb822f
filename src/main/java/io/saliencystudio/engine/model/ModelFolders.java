package io.saliencystudio.engine.model;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where model packages live: the folder that ships with the app (read-only once installed) and a per-user folder
 * that "Open model…" can add models to. Both are scanned; the bundled one first, so a model id means the bundled
 * model when both have it.
 *
 * <p>The per-user folder follows each platform's convention for application data: {@code $XDG_DATA_HOME/saliency-studio/models}
 * (default {@code ~/.local/share/saliency-studio/models}) on Linux, {@code %LOCALAPPDATA%\Saliency Studio\models} on
 * Windows, {@code ~/Library/Application Support/Saliency Studio/models} on macOS.
 */
public final class ModelFolders {

    /** System property naming the bundled models folder (the installed launcher sets it). */
    public static final String BUNDLED_PROPERTY = "saliency.models.dir";
    /** System property that replaces the per-user folder (tests, portable installs). */
    public static final String USER_PROPERTY = "saliency.user.models.dir";

    private ModelFolders() {}

    /**
     * The bundled models folder: {@code -Dsaliency.models.dir} (the installed launcher sets it), else as
     * {@link #shipped} finds {@code models}. Absolute and normalised; it may not exist (the caller reports that).
     */
    public static Path bundledDir() {
        return shipped(System.getProperty(BUNDLED_PROPERTY), "models");
    }

    /**
     * A folder that ships with the app ({@code models}, {@code assets/samples}): {@code given} when not blank (a
     * system property), else {@code relative} in the working folder ({@code mvn javafx:run}, the CLI in the project
     * folder), else {@code relative} beside the application's code: in the folder of its jar (or classes folder) or
     * the folder above, so an installed app or {@code java -jar target/...} finds it from anywhere; else
     * {@code relative} in the working folder. Absolute and normalised.
     */
    public static Path shipped(String given, String relative) {
        return shipped(given, relative, Path.of(""), codeLocation());
    }

    static Path shipped(String given, String relative, Path workingDir, Path code) {
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath().normalize();
        }
        Path here = workingDir.resolve(relative).toAbsolutePath().normalize();
        if (Files.isDirectory(here)) {
            return here;
        }
        Path dir = code == null ? null : code.toAbsolutePath().getParent();
        for (int up = 0; up < 2 && dir != null; up++, dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isDirectory(candidate)) {
                return candidate.normalize();
            }
        }
        return here;
    }

    /** The jar or classes folder this code was loaded from; {@code null} when the class loader does not say. */
    private static Path codeLocation() {
        try {
            return Path.of(ModelFolders.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | RuntimeException e) {
            return null; // an unusual class loader: the working-folder guess stands
        }
    }

    /** The per-user models folder for this process (it may not exist yet). */
    public static Path userDir() {
        String given = System.getProperty(USER_PROPERTY);
        if (given != null && !given.isBlank()) {
            return Path.of(given).toAbsolutePath().normalize();
        }
        return userDir(System.getProperty("os.name", ""), System.getenv(), System.getProperty("user.home"));
    }

    /** The per-user models folder on {@code os} with this environment and home folder. */
    static Path userDir(String os, Map<String, String> env, String home) {
        String name = os.toLowerCase(java.util.Locale.ROOT);
        if (name.startsWith("windows")) {
            String local = env.get("LOCALAPPDATA");
            Path base = local != null && !local.isBlank() ? Path.of(local) : Path.of(home, "AppData", "Local");
            return base.resolve("Saliency Studio").resolve("models");
        }
        if (name.startsWith("mac")) {
            return Path.of(home, "Library", "Application Support", "Saliency Studio", "models");
        }
        // XDG Base Directory spec: a relative or empty XDG_DATA_HOME is invalid and must be ignored.
        String xdg = env.get("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()
                ? Path.of(xdg) : Path.of(home, ".local", "share");
        return base.resolve("saliency-studio").resolve("models");
    }

    /** The folders to scan: {@code bundled} (if any), then the user's folder if it exists and differs. */
    public static List<Path> scanOrder(Path bundled, Path user) {
        List<Path> out = new ArrayList<>();
        if (bundled != null) {
            out.add(bundled.toAbsolutePath().normalize());
        }
        if (user != null && Files.isDirectory(user) && !out.contains(user.toAbsolutePath().normalize())) {
            out.add(user.toAbsolutePath().normalize());
        }
        return out;
    }
}
