package io.saliencystudio.app;

import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Upsampling;
import javafx.application.Platform;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;

/** The menu bar; every item forwards to {@link MainCommands} or a view-model. */
final class AppMenu {

    private final MenuBar bar = new MenuBar();

    AppMenu(AppContext ctx, MainCommands c) {
        Menu file = new Menu("_File");
        file.getItems().addAll(
                item("Open images…", "Shortcut+O", c::openImages),
                item("Open folder…", "Shortcut+Shift+O", c::openFolder),
                item("Paste images", "Shortcut+V", c::paste),
                item("Open data set…", "Shortcut+D", c::openDataset),
                new SeparatorMenuItem(),
                item("Open model…", "Shortcut+M", c::openModel),
                new SeparatorMenuItem(),
                item("Export figure…", "Shortcut+E", c::exportFigure),
                item("Export grid of selected images…", null, c::exportGrid),
                new SeparatorMenuItem(),
                item("Quit", "Shortcut+Q", Platform::exit));
        Menu view = new Menu("_View");
        CheckMenuItem box = new CheckMenuItem("Show ground-truth box");
        box.selectedProperty().bindBidirectional(ctx.display().showBoxProperty());
        CheckMenuItem shared = new CheckMenuItem("Shared colour scale");
        shared.selectedProperty().bindBidirectional(ctx.display().sharedScaleProperty());
        CheckMenuItem dark = new CheckMenuItem("Dark theme");
        dark.setSelected(ctx.prefs().darkTheme());
        dark.selectedProperty().addListener((o, was, now) -> {
            ctx.prefs().setDarkTheme(now);
            Theme.apply(now);
        });
        view.getItems().addAll(
                item("Zoom in", "Shortcut+Equals", () -> ctx.viewport().zoomBy(1.25)),
                item("Zoom out", "Shortcut+Minus", () -> ctx.viewport().zoomBy(0.8)),
                item("Fit", "Shortcut+0", () -> ctx.viewport().fit()),
                new SeparatorMenuItem(), box, shared, dark);
        Menu explain = new Menu("_Explain");
        // Layer maps with each cell at the centre of what it sees, or stretched corner to corner as the Python
        // libraries draw them (to compare with their figures).
        CheckMenuItem centred = new CheckMenuItem("Layer maps at receptive-field centres");
        centred.setId("menu-receptive-field");
        centred.setSelected(ctx.explain().settings().upsampling() == Upsampling.RECEPTIVE_FIELD);
        ctx.explain().settingsProperty().addListener((o, was, now) ->
                centred.setSelected(now.upsampling() == Upsampling.RECEPTIVE_FIELD));
        centred.selectedProperty().addListener((o, was, now) -> {
            Upsampling u = now ? Upsampling.RECEPTIVE_FIELD : Upsampling.BILINEAR;
            if (ctx.explain().settings().upsampling() != u) {
                ctx.explain().setSettings(ctx.explain().settings().withUpsampling(u));
            }
        });
        explain.getItems().addAll(centred, new SeparatorMenuItem(),
                item("Next layer  ]", null, () -> ctx.explain().scrubLayer(1)),
                item("Previous layer  [", null, () -> ctx.explain().scrubLayer(-1)),
                item("Explain the top class", "Shortcut+T", () -> ctx.explain().selectClass(null)),
                new SeparatorMenuItem(),
                addMethodMenu(ctx),
                item("Recompute", "F5", () -> ctx.explain().refresh()),
                item("Evaluate all panels", null, () -> ctx.metrics().evaluateAll()),
                item("Sanity check…", null, c::sanityCheck),
                new SeparatorMenuItem(),
                item("Predict all images again", null, () -> ctx.images().predictAll()),
                item("Cancel running work  Esc", null, () -> ctx.status().cancel()));
        Menu model = new Menu("_Model");
        model.getItems().addAll(item("Provenance…", "Shortcut+I", c::showProvenance),
                item("Open model…", null, c::openModel));
        Menu help = new Menu("_Help");
        help.getItems().addAll(item("Keyboard shortcuts", "F1", c::showShortcuts), item("About", null, c::showAbout));
        bar.getMenus().addAll(file, view, explain, model, help);
    }

    /** One item per method; methods already shown, or needing taps or attention maps the model lacks, are disabled. */
    private static Menu addMethodMenu(AppContext ctx) {
        Menu add = new Menu("Add method panel");
        add.setOnShowing(e -> add.getItems().forEach(i -> {
            Method m = (Method) i.getUserData();
            i.setDisable(ctx.explain().methods().contains(m) || !ctx.explain().available(m));
            i.setText(m.displayName() + (ctx.explain().available(m) ? "" : "  (" + m.unavailableReason() + ")"));
        }));
        for (Method m : Method.values()) {
            MenuItem i = item(m.displayName(), null, () -> ctx.explain().addMethod(m));
            i.setUserData(m);
            add.getItems().add(i);
        }
        return add;
    }

    private static MenuItem item(String text, String accelerator, Runnable action) {
        MenuItem i = new MenuItem(text);
        if (accelerator != null) {
            i.setAccelerator(KeyCombination.keyCombination(accelerator));
        }
        i.setOnAction(e -> action.run());
        return i;
    }

    MenuBar bar() {
        return bar;
    }
}
