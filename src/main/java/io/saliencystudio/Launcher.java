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
            // Looked up by name so that the CLI keeps working where JavaFX cannot start (a headless server).
            Class.forName(APP_CLASS).getMethod("main", String[].class).invoke(null, (Object) args);
        } else {
            Main.main(args);
        }
    }
}
