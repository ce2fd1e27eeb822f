package io.saliencystudio.app.explain;

import io.saliencystudio.app.images.GroundTruth;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.explain.Upsampling;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.model.LayerTap;
import io.saliencystudio.engine.model.ModelManifest;
import io.saliencystudio.app.service.MethodProgress;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.collections.MapChangeListener;
import javafx.collections.SetChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.CustomMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.geometry.Rectangle2D;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PopOver;

/**
 * The model input and one panel per chosen method side by side (wrapping into rows, scrolling when there are many),
 * with a headline saying what is explained, an "Add method" menu and "Evaluate all". Binds to the
 * {@link ExplainViewModel}; panels share the {@link Viewport} (zoom, pan, hover) and the {@link DisplaySettings}.
 */
public final class PanelsView extends VBox {

    /** Panels per row before wrapping (the input panel counts). */
    static final int COLUMNS = 4;

    private final ExplainViewModel vm;
    private final MetricsViewModel metrics;
    private final DisplaySettings display;
    private final Viewport viewport;
    private final MapPanel original;
    private final Map<Method, MethodColumn> columns = new EnumMap<>(Method.class); // kept when closed: reused
    private final GridPane grid = new GridPane();
    private final ScrollPane scroll = new ScrollPane(grid);
    /** One line, never wrapped: the figures give way (ellipsis) before the class and the truth do. */
    private final HBox headline = new HBox();
    private final Tooltip headlineTooltip = new Tooltip();
    private final MenuButton addMenu = new MenuButton("Add method");
    private final Button protocolButton = new Button();
    private PopOver protocolPopOver;

    public PanelsView(ExplainViewModel vm, MetricsViewModel metrics, DisplaySettings display, Viewport viewport) {
        this.vm = vm;
        this.metrics = metrics;
        this.display = display;
        this.viewport = viewport;
        getStyleClass().add("panels-view");
        original = new MapPanel("Model input", null, display, viewport);
        grid.getStyleClass().add("panels-grid");
        grid.setHgap(12);
        grid.setVgap(12);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.getStyleClass().addAll("panels-scroll", "edge-to-edge");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        headline.getStyleClass().add("headline");
        headline.setId("headline");
        addMenu.setId("add-method");
        addMenu.getStyleClass().add("small");
        addMenu.setTooltip(new Tooltip("Add a panel for another explanation method"));
        addMenu.setOnShowing(e -> updateAddMenu());
        updateAddMenu();
        Button evaluateAll = new Button("Evaluate all");
        evaluateAll.setId("evaluate-all");
        evaluateAll.getStyleClass().add("small");
        evaluateAll.setTooltip(new Tooltip("Deletion/insertion AUC and average drop of every panel's map "
                + "(with the protocol beside), in the background"));
        evaluateAll.setOnAction(e -> metrics.evaluateAll());
        protocolButton.setId("protocol");
        protocolButton.getStyleClass().addAll("small", "flat");
        protocolButton.setTooltip(new Tooltip("The faithfulness protocol of Evaluate: click to change pixels per "
                + "step, score and insertion blur"));
        protocolButton.setMinWidth(Region.USE_PREF_SIZE);
        protocolButton.setOnAction(e -> toggleProtocol());
        metrics.protocolProperty().addListener((o, was, now) -> updateProtocol());
        vm.modelProperty().addListener((o, was, now) -> updateProtocol());
        updateProtocol();
        HBox.setHgrow(headline, Priority.ALWAYS);
        // The headline takes what the buttons leave and shortens there, instead of widening the whole view.
        headline.setMinWidth(0);
        headline.setPrefWidth(1);
        headline.setAlignment(Pos.BASELINE_LEFT);
        CheckBox shared = new CheckBox("Shared scale");
        shared.setId("shared-scale");
        shared.setMinWidth(Region.USE_PREF_SIZE);
        shared.setTooltip(new Tooltip("One colour scale for all panels (signed maps share their own symmetric one) "
                + "instead of one per map. Methods have different units: compare like with like"));
        shared.selectedProperty().bindBidirectional(display.sharedScaleProperty());
        evaluateAll.setMinWidth(Region.USE_PREF_SIZE);
        addMenu.setMinWidth(Region.USE_PREF_SIZE);
        HBox top = new HBox(8, headline, shared, evaluateAll, protocolButton, addMenu);
        top.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(top, scroll);
        vm.methods().addListener((ListChangeListener<Method>) c -> layoutPanels());
        vm.outcomeProperty().addListener((o, was, now) -> update());
        vm.problemProperty().addListener((o, was, now) -> update());
        vm.truthProperty().addListener((o, was, now) -> update());
        vm.modelProperty().addListener((o, was, now) -> updateAddMenu());
        vm.busyProperty().addListener((o, was, now) -> updateBusy());
        vm.computing().addListener((SetChangeListener<Method>) c -> updateBusy());
        vm.progress().addListener((MapChangeListener<Method, MethodProgress>) c -> updateBusy());
        display.sharedScaleProperty().addListener((o, was, now) -> updateSharedScale());
        display.scalingProperty().addListener((o, was, now) -> updateSharedScale());
        layoutPanels();
    }

    /** The protocol's caption on its button: what every shown result was measured with. */
    private void updateProtocol() {
        protocolButton.setText("Protocol: " + metrics.caption());
    }

    /** Opens (or closes) the protocol sheet under its button. */
    public void toggleProtocol() {
        if (protocolPopOver == null) {
            protocolPopOver = new PopOver(new ProtocolSheet(metrics));
            protocolPopOver.setTitle("Faithfulness protocol");
            protocolPopOver.setHeaderAlwaysVisible(true);
            protocolPopOver.setArrowLocation(PopOver.ArrowLocation.TOP_RIGHT);
            protocolPopOver.setDetachable(false);
        }
        if (protocolPopOver.isShowing()) {
            protocolPopOver.hide();
        } else {
            protocolPopOver.show(protocolButton);
        }
    }

    /** The caption naming the protocol of the shown results. */
    public String protocolCaption() {
        return protocolButton.getText();
    }

    /** Lays the input panel and the method columns out in rows of {@link #COLUMNS}. */
    private void layoutPanels() {
        List<javafx.scene.Node> cells = new ArrayList<>();
        cells.add(original);
        for (Method m : vm.methods()) {
            cells.add(columns.computeIfAbsent(m, k -> new MethodColumn(k, vm, metrics, display, viewport)).panel());
        }
        int perRow = Math.min(COLUMNS, cells.size());
        int rows = (cells.size() + perRow - 1) / perRow;
        grid.getChildren().clear();
        grid.getColumnConstraints().clear();
        grid.getRowConstraints().clear();
        for (int i = 0; i < perRow; i++) {
            ColumnConstraints c = new ColumnConstraints();
            c.setPercentWidth(100.0 / perRow);
            c.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(c);
        }
        for (int r = 0; r < rows; r++) {
            RowConstraints row = new RowConstraints();
            row.setVgrow(Priority.ALWAYS);
            // One row fills the height; several scroll, each tall enough for a map and its metrics.
            row.setMinHeight(rows > 1 ? 380 : Region.USE_COMPUTED_SIZE);
            grid.getRowConstraints().add(row);
        }
        for (int i = 0; i < cells.size(); i++) {
            grid.add(cells.get(i), i % perRow, i / perRow);
        }
        scroll.setFitToHeight(rows == 1);
        scroll.setVbarPolicy(rows == 1 ? ScrollPane.ScrollBarPolicy.NEVER : ScrollPane.ScrollBarPolicy.AS_NEEDED);
        update();
    }

    private void updateAddMenu() {
        addMenu.getItems().clear();
        LoadedModel m = vm.modelProperty().get();
        for (Method method : Method.values()) {
            Label label = new Label(method.displayName());
            label.setId("add-" + method.id());
            CustomMenuItem item = new CustomMenuItem(label);
            boolean shown = vm.methods().contains(method);
            boolean possible = vm.available(method);
            if (!possible) {
                // Not disabled outright: a disabled item shows no tooltip, and the tooltip is the point.
                label.setText(method.displayName() + "  (needs layer taps)");
                label.getStyleClass().add("menu-item-unavailable");
                label.setOpacity(0.45);
                label.setTooltip(new Tooltip(method.displayName() + " reads a layer's activations, and "
                        + (m == null ? "this model" : m.manifest().name()) + " was exported without layer taps. "
                        + "Re-export it with models/tools/export.py to add them."));
            } else {
                label.setTooltip(new Tooltip(MethodInfo.tooltip(method)));
            }
            item.setDisable(shown);
            item.setOnAction(e -> {
                if (possible) {
                    vm.addMethod(method);
                }
            });
            addMenu.getItems().add(item);
        }
    }

    private void updateBusy() {
        for (MethodColumn c : shownColumns()) {
            Method m = c.method();
            boolean computing = vm.busyProperty().get() && vm.computing().contains(m);
            MethodProgress p = vm.progress().get(m);
            c.panel().setProgress(computing && !m.singlePass() ? (p == null ? -1.0 : p.fraction()) : null,
                    p == null ? null : p.what());
            c.panel().setBusy(computing);
        }
    }

    private List<MethodColumn> shownColumns() {
        return vm.methods().stream().map(columns::get).filter(java.util.Objects::nonNull).toList();
    }

    private void update() {
        ExplainOutcome out = vm.outcome();
        if (out == null) {
            String why = vm.problemProperty().get();
            String text = why != null ? why : vm.imageProperty().get() == null
                    ? "Drop images or folders here, or use File > Open images…" : "Explaining…";
            original.showMessage(why != null ? why : text);
            shownColumns().forEach(c -> {
                c.panel().showMessage(null);
                c.metrics().showFor(null, null);
            });
            setHeadline(why != null ? "Cannot explain this image" : "", null, null);
            updateBusy();
            return;
        }
        ModelManifest manifest = out.query().model().manifest();
        InputSpec spec = manifest.input();
        original.show(out.seen(), null, String.format(Locale.ROOT, "%d×%d %s, from a %d×%d file", spec.width(),
                spec.height(), spec.colorMode() == InputSpec.ColorMode.GRAY ? "grey" : "RGB", out.sourceWidth(),
                out.sourceHeight()), null);
        Rectangle2D box = box(out);
        original.setBox(box);
        for (MethodColumn c : shownColumns()) {
            showMethod(c, out, manifest, box);
        }
        updateSharedScale();
        updateBusy();
        setHeadline(null, out.target(), out);
    }

    private void showMethod(MethodColumn c, ExplainOutcome out, ModelManifest manifest, Rectangle2D box) {
        Method m = c.method();
        MapPanel panel = c.panel();
        MethodResult r = out.result(m);
        String failure = out.failures().get(m);
        if (m.needsLayer() && !out.query().model().hasTaps()) {
            panel.show(out.seen(), null, " ", "This model has no layer taps, so " + m.displayName() + " is not "
                    + "available (saliency works). Re-export it with models/tools/export.py to add them.");
        } else if (r != null) {
            panel.show(out.seen(), r.map(), caption(r, manifest), blankMessage(r, out.target()));
        } else if (failure != null) {
            panel.show(out.seen(), null, " ", failure);
        } else if (panel.heatmap() == null || panel.seenImage() != out.seen() || !out.pending().contains(m)) {
            // Still computing: the new image now, the map when it comes. Only a map of this same image (a knob
            // changed) stays up meanwhile.
            panel.show(out.seen(), null, " ", null);
        }
        panel.setBox(box);
        Heatmap map = r == null ? null : r.map();
        Boolean hit = map == null || box == null || map.isBlank() ? null : PointingGame.hit(map, box.getMinX(),
                box.getMinY(), box.getMaxX(), box.getMaxY());
        c.metrics().showFor(map, hit);
    }

    /** A line under the map: how it was made (the layer, or the settings that change it). */
    static String caption(MethodResult r, ModelManifest manifest) {
        if (r.method() == Method.SALIENCY) {
            return "Σ over channels of |∂ logit / ∂ pixel|";
        }
        if (r.method().needsLayer()) {
            LayerTap tap = manifest.tap(r.layer()).orElse(null);
            String shape = tap == null ? "" : " · " + tap.shapeText().replace("x", "×");
            Object how = r.details().get("upsampling");
            return r.layer() + shape + (Upsampling.RECEPTIVE_FIELD.id().equals(how)
                    ? " · cells at receptive-field centres" : " · upsampled bilinear");
        }
        StringBuilder sb = new StringBuilder();
        r.details().forEach((k, v) -> {
            if (sb.length() < 80 && !(v instanceof java.util.Collection<?>) && !(v instanceof Map<?, ?>)) {
                sb.append(sb.length() == 0 ? "" : " · ").append(k).append(' ').append(v instanceof Double d
                        ? MapPanel.format(d.floatValue()) : String.valueOf(v));
            }
        });
        return sb.length() == 0 ? " " : sb.toString();
    }

    /** One scale for all panels when asked: the union of the unsigned ranges, one symmetric range for signed. */
    private void updateSharedScale() {
        List<MethodColumn> shown = shownColumns();
        if (!display.sharedScaleProperty().get()) {
            shown.forEach(c -> c.panel().setSharedRange(null));
            return;
        }
        List<Heatmap> maps = shown.stream().map(c -> c.panel().heatmap()).filter(java.util.Objects::nonNull)
                .toList();
        MapScaling s = display.scalingProperty().get();
        MapScaling.Range unsigned = s.shared(maps, false);
        MapScaling.Range signed = s.shared(maps, true);
        for (MethodColumn c : shown) {
            Heatmap h = c.panel().heatmap();
            c.panel().setSharedRange(h == null || h.isBlank() ? null : h.signed() ? signed : unsigned);
        }
    }

    /** Why a map carries no information, in words; {@code null} when it does. */
    static String blankMessage(MethodResult cam, ClassScore target) {
        if (!cam.map().isBlank()) {
            return null;
        }
        String name = cam.method().displayName();
        if (!cam.method().needsLayer()) {
            return name + " is constant for “" + target.label() + "”: nothing to show. Try another class.";
        }
        Heatmap layerMap = cam.layerMap();
        if (layerMap != null && layerMap.width() * layerMap.height() == 1) {
            return name + " at " + cam.layer() + " is a single value (a 1×1 map): it cannot show where the model "
                    + "looks. Pick an earlier layer.";
        }
        if (cam.map().rawMax() <= 0) {
            return name + " is all zero for “" + target.label() + "” at " + cam.layer() + ": no channel has positive "
                    + "weighted evidence after ReLU. Try a deeper layer or another class.";
        }
        return name + " is constant for “" + target.label() + "” at " + cam.layer() + ": nothing to localise. "
                + "Try another layer or class.";
    }

    private Rectangle2D box(ExplainOutcome out) {
        GroundTruth t = vm.truthProperty().get();
        if (t == null || !t.hasBox() || out.sourceWidth() <= 0) {
            return null;
        }
        ModelManifest m = out.query().model().manifest();
        return BoxMapping.toSeen(t.box(), out.sourceWidth(), out.sourceHeight(), m.input(), m.preprocessing());
    }

    private void setHeadline(String plain, ClassScore target, ExplainOutcome out) {
        headline.getChildren().clear();
        if (target == null) {
            if (plain != null && !plain.isEmpty()) {
                headline.getChildren().add(styled(plain, "headline-muted"));
            }
            headlineTip();
            return;
        }
        int rank = out.prediction().top(out.prediction().numClasses()).stream()
                .map(ClassScore::index).toList().indexOf(target.index()) + 1;
        headline.getChildren().addAll(styled("Explaining ", "headline-muted"), styled(target.label(), "headline-class"),
                styled(String.format(Locale.ROOT, "  p = %.1f%% · rank %d of %d · logit %.2f",
                        target.probability() * 100, rank, out.prediction().numClasses(), target.logit()),
                        "headline-muted"));
        GroundTruth t = vm.truthProperty().get();
        if (t != null) {
            boolean hit = t.matches(out.prediction().score(out.prediction().top1()).label());
            headline.getChildren().addAll(styled("   true: ", "headline-muted"),
                    styled(t.label() + (hit ? " ✓ predicted" : " ✗ predicted " + out.prediction().score(
                            out.prediction().top1()).label()), hit ? "headline-ok" : "headline-bad"));
        }
        headlineTip();
    }

    private static Label styled(String s, String style) {
        Label t = new Label(s);
        t.getStyleClass().add(style);
        // Only the figures after the class may shorten; the class and the truth keep their width.
        t.setMinWidth(style.equals("headline-muted") ? 0 : Region.USE_PREF_SIZE);
        return t;
    }

    /** The whole headline as a tooltip, for when the line is too narrow for all of it. */
    private void headlineTip() {
        String text = headlineText();
        Tooltip.uninstall(headline, headlineTooltip);
        headlineTooltip.setText(text);
        if (!text.isEmpty()) {
            Tooltip.install(headline, headlineTooltip);
        }
    }

    public MapPanel original() {
        return original;
    }

    /** The panel of {@code method}, or {@code null} when it has none. */
    public MapPanel panel(Method method) {
        MethodColumn c = vm.methods().contains(method) ? columns.get(method) : null;
        return c == null ? null : c.panel();
    }

    /** The faithfulness view beside {@code method}'s panel, or {@code null}. */
    public MetricsView metrics(Method method) {
        MethodColumn c = vm.methods().contains(method) ? columns.get(method) : null;
        return c == null ? null : c.metrics();
    }

    /** The parameter sheet of {@code method}'s panel, or {@code null}. */
    public MethodSettingsSheet settingsSheet(Method method) {
        MethodColumn c = vm.methods().contains(method) ? columns.get(method) : null;
        return c == null ? null : c.sheet();
    }

    public MapPanel saliency() {
        return panel(Method.SALIENCY);
    }

    public MapPanel gradCam() {
        return panel(Method.GRADCAM);
    }

    public MenuButton addMenu() {
        return addMenu;
    }

    /** Grid cells (input panel first), for layout tests. */
    public GridPane grid() {
        return grid;
    }

    /** The headline as plain text (for tests). */
    public String headlineText() {
        StringBuilder sb = new StringBuilder();
        headline.getChildren().forEach(n -> sb.append(((Label) n).getText()));
        return sb.toString();
    }
}
