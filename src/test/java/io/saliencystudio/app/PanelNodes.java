package io.saliencystudio.app;

import io.saliencystudio.app.explain.MapPanel;
import io.saliencystudio.app.explain.PanelsView;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;

/**
 * The nodes of a map panel and of the panels view, looked up by id and style class as a user's eye finds them, so
 * the views need no getters for tests. Call on the FX thread.
 */
public final class PanelNodes {

    private PanelNodes() {
    }

    private static <T extends Node> T find(Node root, String selector, Class<T> type) {
        Node n = root.lookup(selector);
        if (n == null) {
            throw new AssertionError("no " + selector + " in " + root.getId());
        }
        return type.cast(n);
    }

    /** The heatmap drawn over the image. */
    public static ImageView overlayView(MapPanel panel) {
        return find(panel, ".heatmap-overlay", ImageView.class);
    }

    /** The image the model saw. */
    public static ImageView baseView(MapPanel panel) {
        return find(panel, ".panel-image", ImageView.class);
    }

    public static Image overlayImage(MapPanel panel) {
        return overlayView(panel).getImage();
    }

    /** The message over the image (blank map, failure, nothing to show). */
    public static Label messageLabel(MapPanel panel) {
        return find(panel, ".panel-message", Label.class);
    }

    /** The value under the mouse, in the title row. */
    public static Label readoutLabel(MapPanel panel) {
        return find(panel, ".panel-readout", Label.class);
    }

    public static Slider opacitySlider(MapPanel panel) {
        return find(panel, "#" + panel.getId().replace("panel-", "opacity-"), Slider.class);
    }

    /** The legend under the map as one line: "min … max | caption". */
    public static String legendText(MapPanel panel) {
        return find(panel, "#range-min", Label.class).getText() + " … " + find(panel, "#range-max", Label.class)
                .getText() + " | " + find(panel, ".panel-caption", Label.class).getText();
    }

    /** Whether the progress bar with its Cancel button shows. */
    public static boolean progressShown(MapPanel panel) {
        return find(panel, ".panel-progress", Node.class).isVisible();
    }

    /** The headline over the panels as one line. */
    public static String headlineText(PanelsView view) {
        StringBuilder sb = new StringBuilder();
        find(view, "#headline", javafx.scene.layout.HBox.class).getChildren()
                .forEach(n -> sb.append(((Label) n).getText()));
        return sb.toString();
    }

    /** The protocol button's caption. */
    public static String protocolCaption(PanelsView view) {
        return find(view, "#protocol", Button.class).getText();
    }

    /** The menu item with this id anywhere in the scene's menu bar (menu items are not nodes, so no lookup finds them). */
    public static javafx.scene.control.MenuItem menuItem(javafx.scene.Scene scene, String id) {
        javafx.scene.control.MenuBar bar = (javafx.scene.control.MenuBar) scene.getRoot().lookup(".menu-bar");
        java.util.ArrayDeque<javafx.scene.control.MenuItem> todo = new java.util.ArrayDeque<>(bar.getMenus());
        while (!todo.isEmpty()) {
            javafx.scene.control.MenuItem item = todo.pop();
            if (id.equals(item.getId())) {
                return item;
            }
            if (item instanceof javafx.scene.control.Menu menu) {
                todo.addAll(menu.getItems());
            }
        }
        throw new AssertionError("no menu item #" + id);
    }
}
