package io.saliencystudio;

import io.saliencystudio.cli.Main;

/**
 * The one entry point of the jar and of the installed app: no arguments opens the window, anything else is a CLI
 * command ({@code models}, {@code predict}, {@code explain}, {@code --help}, {@code --version}). A plain class (not a
 * JavaFX {@code Application}) so that {@code java -jar} works with JavaFX on the class path.
 */
public final class Launcher {

    static final String APP_CLASS = "io.saliencystudio.app.SaliencyStudioApp";

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            if (!displayAvailable(System.getProperty("os.name", ""), System.getenv(),
                    System.getProperty("glass.platform"))) {
                System.err.println("No display to open the window on: start Saliency Studio from a desktop session, "
                        + "or run a command (saliency-studio --help).");
                System.exit(2);
            }
            // Looked up by name so that the CLI keeps working where JavaFX cannot start (a headless server).
            Class.forName(APP_CLASS).getMethod("main", String[].class).invoke(null, (Object) args);
        } else {
            Main.main(args);
        }
    }

    /**
     * Whether a window can open: on Linux and other X11/Wayland systems that needs DISPLAY or WAYLAND_DISPLAY
     * (JavaFX would otherwise fail with a native stack trace); Windows and macOS always have one; a headless glass
     * platform (Monocle, for tests) needs none.
     */
    static boolean displayAvailable(String os, java.util.Map<String, String> env, String glassPlatform) {
        String name = os.toLowerCase(java.util.Locale.ROOT);
        if (name.startsWith("windows") || name.startsWith("mac") || "Monocle".equalsIgnoreCase(glassPlatform)) {
            return true;
        }
        return !env.getOrDefault("DISPLAY", "").isBlank() || !env.getOrDefault("WAYLAND_DISPLAY", "").isBlank();
    }
}
