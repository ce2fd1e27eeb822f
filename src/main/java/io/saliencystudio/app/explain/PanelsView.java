package io.saliencystudio.app.explain;

import io.saliencystudio.app.images.GroundTruth;
import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.model.ModelManifest;
import io.saliencystudio.app.service.MethodProgress;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
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
        protocolButton.setText(PanelsPresenter.protocolCaption(metrics.caption()));
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
            var entry = PanelsPresenter.addMethodItem(method, vm.available(method),
                    m == null ? null : m.manifest().name());
            Label label = new Label(entry.text());
            label.setId("add-" + method.id());
            label.setTooltip(new Tooltip(entry.tooltip()));
            if (!entry.available()) {
                // Not disabled outright: a disabled item shows no tooltip, and the tooltip is the point.
                label.getStyleClass().add("menu-item-unavailable");
                label.setOpacity(0.45);
            }
            CustomMenuItem item = new CustomMenuItem(label);
            item.setDisable(vm.methods().contains(method));
            item.setOnAction(e -> {
                if (entry.available()) {
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
            original.showMessage(PanelsPresenter.inputMessage(why, vm.imageProperty().get() != null));
            shownColumns().forEach(c -> {
                c.panel().showMessage(null);
                c.metrics().showFor(null, null);
            });
            setHeadline(PanelsPresenter.headline(why));
            updateBusy();
            return;
        }
        ModelManifest manifest = out.query().model().manifest();
        original.show(out.seen(), null, PanelsPresenter.inputCaption(manifest.input(), out.sourceWidth(),
                out.sourceHeight()), null);
        Rectangle2D box = box(out);
        original.setBox(box);
        for (MethodColumn c : shownColumns()) {
            showMethod(c, out, manifest, box);
        }
        updateSharedScale();
        updateBusy();
        setHeadline(PanelsPresenter.headline(out.prediction(), out.target(), vm.truthProperty().get()));
    }

    private void showMethod(MethodColumn c, ExplainOutcome out, ModelManifest manifest, Rectangle2D box) {
        MapPanel panel = c.panel();
        var content = PanelsPresenter.methodContent(c.method(), out, manifest, out.query().model().hasTaps(),
                panel.heatmap() != null && panel.seenImage() == out.seen());
        switch (content.kind()) {
            case MAP, MESSAGE -> panel.show(out.seen(), content.map(), content.caption(), content.message());
            case WAITING -> panel.show(out.seen(), null, " ", null);
            case KEEP -> { } // the map of this same image stays up until the new one comes
        }
        panel.setBox(box);
        c.metrics().showFor(content.map(), PanelsPresenter.pointingHit(content.map(), box));
    }

    /** One scale for all panels when asked: the union of the unsigned ranges, one symmetric range for signed. */
    private void updateSharedScale() {
        List<MethodColumn> shown = shownColumns();
        var ranges = PanelsPresenter.sharedRanges(shown.stream().map(c -> c.panel().heatmap()).toList(),
                display.sharedScaleProperty().get(), display.scalingProperty().get());
        for (int i = 0; i < shown.size(); i++) {
            shown.get(i).panel().setSharedRange(ranges.get(i));
        }
    }

    private Rectangle2D box(ExplainOutcome out) {
        GroundTruth t = vm.truthProperty().get();
        if (t == null || !t.hasBox() || out.sourceWidth() <= 0) {
            return null;
        }
        ModelManifest m = out.query().model().manifest();
        return BoxMapping.toSeen(t.box(), out.sourceWidth(), out.sourceHeight(), m.input(), m.preprocessing());
    }

    private void setHeadline(List<PanelsPresenter.Segment> segments) {
        headline.getChildren().setAll(segments.stream().map(seg -> styled(seg.text(), seg.style())).toList());
        // The whole headline as a tooltip, for when the line is too narrow for all of it.
        String text = PanelsPresenter.text(segments);
        Tooltip.uninstall(headline, headlineTooltip);
        headlineTooltip.setText(text);
        if (!text.isEmpty()) {
            Tooltip.install(headline, headlineTooltip);
        }
    }

    private static Label styled(String s, String style) {
        Label t = new Label(s);
        t.getStyleClass().add(style);
        // Only the figures after the class may shorten; the class and the truth keep their width.
        t.setMinWidth(style.equals("headline-muted") ? 0 : Region.USE_PREF_SIZE);
        return t;
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

    public MenuButton addMenu() {
        return addMenu;
    }

    /** Grid cells (input panel first), for layout tests. */
    public GridPane grid() {
        return grid;
    }
}
