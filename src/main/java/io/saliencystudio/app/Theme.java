package io.saliencystudio.app;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import javafx.application.Application;
import javafx.scene.Scene;

/**
 * AtlantaFX's Primer theme as the user-agent stylesheet, plus the app's own sheet, which also defines the Modena
 * colour names ControlsFX's controls look up (AtlantaFX does not define them).
 */
public final class Theme {

    public static final String APP_CSS = "/io/saliencystudio/app/app.css";

    private Theme() {}

    public static void apply(boolean dark) {
        Application.setUserAgentStylesheet(dark ? new PrimerDark().getUserAgentStylesheet()
                : new PrimerLight().getUserAgentStylesheet());
    }

    public static void style(Scene scene) {
        String css = Theme.class.getResource(APP_CSS).toExternalForm();
        if (!scene.getStylesheets().contains(css)) {
            scene.getStylesheets().add(css);
        }
    }
}
