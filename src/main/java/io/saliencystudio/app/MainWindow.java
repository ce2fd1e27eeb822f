package io.saliencystudio.app;

import io.saliencystudio.app.dialog.DialogService;
import io.saliencystudio.app.dialog.FxDialogService;
import io.saliencystudio.app.explain.ClassChooserView;
import io.saliencystudio.app.explain.LayerListView;
import io.saliencystudio.app.explain.PanelsView;
import io.saliencystudio.app.images.ImageListView;
import io.saliencystudio.app.model.ModelPickerView;
import io.saliencystudio.app.prefs.WindowBounds;
import io.saliencystudio.app.status.Notice;
import io.saliencystudio.app.status.StatusBarView;
import io.saliencystudio.engine.render.Colormap;
import javafx.animation.PauseTransition;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Separator;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.NotificationPane;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The main window's arrangement: menu and tool row on top; the image list on the left; the three panels in the
 * middle with class and layer choosers under them; the status bar below; a notification bar over the middle. Also
 * the window-wide keys and the remembered layout.
 */
public final class MainWindow {

    private static final double[] MAIN_SPLIT = {0.18};
    private static final double[] CENTER_SPLIT = {0.68};
    private static final double[] BOTTOM_SPLIT = {0.62};

    private final AppContext ctx;
    private final Stage stage;
    private final MainCommands commands;
    private final ImageListView imageList;
    private final PanelsView panels;
    private final ClassChooserView classes;
    private final LayerListView layers;
    private final ModelPickerView modelPicker;
    private final StatusBarView statusBar;
    private final NotificationPane notifications;
    private final SplitPane mainSplit = new SplitPane();
    private final SplitPane centerSplit = new SplitPane();
    private final SplitPane bottomSplit = new SplitPane();
    private final PauseTransition noticeTimer = new PauseTransition(Duration.seconds(10));
    private final Scene scene;

    /** A window whose dialogs are owned by {@code stage}, without desktop integration (tests). */
    public MainWindow(AppContext ctx, Stage stage) {
        this(ctx, stage, new FxDialogService(stage, null));
    }

    public MainWindow(AppContext ctx, Stage stage, DialogService dialogs) {
        this.ctx = ctx;
        this.stage = stage;
        this.commands = new MainCommands(ctx, stage, dialogs, this::selectedImages);
        imageList = new ImageListView(ctx.images());
        panels = new PanelsView(ctx.explain(), ctx.metrics(), ctx.display(), ctx.viewport());
        classes = new ClassChooserView(ctx.explain());
        layers = new LayerListView(ctx.explain());
        modelPicker = new ModelPickerView(ctx.models(), commands::openModel, commands::showProvenance);
        statusBar = new StatusBarView(ctx.status());

        bottomSplit.getItems().addAll(classes, layers);
        centerSplit.setOrientation(Orientation.VERTICAL);
        centerSplit.getItems().addAll(panels, bottomSplit);
        mainSplit.getStyleClass().add("main-split");
        mainSplit.getItems().addAll(imageList, centerSplit);
        SplitPane.setResizableWithParent(imageList, false);
        notifications = new NotificationPane(mainSplit);
        notifications.setId("notifications");
        notifications.setShowFromTop(true);

        BorderPane root = new BorderPane();
        VBox top = new VBox(new AppMenu(ctx, commands).bar(), toolRow());
        top.setMinWidth(0);
        root.setTop(top);
        root.setCenter(notifications);
        root.setBottom(statusBar);
        scene = new Scene(root);
        Theme.style(scene);
        commands.drop().install(scene, imageList);
        installKeys();
        ctx.notices().latestProperty().addListener((o, was, now) -> showNotice(now));
        noticeTimer.setOnFinished(e -> notifications.hide());
    }

    private HBox toolRow() {
        ComboBox<Colormap> colormap = new ComboBox<>();
        colormap.setId("colormap");
        colormap.getItems().setAll(Colormap.values());
        colormap.valueProperty().bindBidirectional(ctx.display().colormapProperty());
        colormap.setCellFactory(l -> new ColormapCell());
        colormap.setButtonCell(new ColormapCell());
        colormap.setTooltip(new Tooltip("Colormap for both maps (viridis, inferno, magma and plasma are "
                + "perceptually uniform)"));
        ComboBox<io.saliencystudio.app.explain.MapScaling> scaling = new ComboBox<>();
        scaling.setId("scaling");
        scaling.getItems().setAll(io.saliencystudio.app.explain.MapScaling.values());
        scaling.valueProperty().bindBidirectional(ctx.display().scalingProperty());
        scaling.setTooltip(new Tooltip("How raw map values become colours (display only): the methods' min–max, or "
                + "clipped at the 99th percentile so a few extreme gradients do not wash out the rest"));
        Label cmLabel = new Label("Colormap");
        cmLabel.getStyleClass().add("muted");
        Button zoomOut = iconButton("mdi2m-magnify-minus-outline", "Zoom out (-)", () -> ctx.viewport().zoomBy(0.8));
        Button zoomIn = iconButton("mdi2m-magnify-plus-outline", "Zoom in (+)", () -> ctx.viewport().zoomBy(1.25));
        Button fit = iconButton("mdi2f-fit-to-screen-outline", "Fit (0)", () -> ctx.viewport().fit());
        Label zoom = new Label();
        zoom.setMinWidth(46);
        zoom.textProperty().bind(ctx.viewport().zoomProperty().multiply(100).asString("%.0f%%"));
        CheckBox box = new CheckBox("Truth box");
        box.setTooltip(new Tooltip("Outline the object's box from labels.csv, where the samples give one"));
        box.selectedProperty().bindBidirectional(ctx.display().showBoxProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label scaleLabel = new Label("Scale");
        scaleLabel.getStyleClass().add("muted");
        HBox row = new HBox(8, modelPicker, new Separator(Orientation.VERTICAL), cmLabel, colormap, scaleLabel, scaling,
                new Separator(Orientation.VERTICAL), zoomOut, zoom, zoomIn, fit, new Separator(Orientation.VERTICAL),
                box, spacer);
        row.setAlignment(Pos.CENTER_LEFT);
        row.getStyleClass().add("tool-row");
        // Never wider than the window: on a narrow screen the row's tail is clipped instead of the whole window's
        // layout (panels included) being pushed past the right edge.
        row.setMinWidth(0);
        // Labels and buttons keep their size; the model picker gives way when the window is narrow.
        for (javafx.scene.Node n : row.lookupAll(".label")) {
            ((Region) n).setMinWidth(Region.USE_PREF_SIZE);
        }
        for (Region r : new Region[] {box, colormap, scaling, zoom, zoomIn, zoomOut, fit}) {
            r.setMinWidth(Region.USE_PREF_SIZE);
        }
        return row;
    }

    private static Button iconButton(String icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.getStyleClass().addAll("button-icon", "flat");
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    private void installKeys() {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.isControlDown() || e.isAltDown() || e.isMetaDown()
                    || scene.getFocusOwner() instanceof TextInputControl) {
                return;
            }
            String t = e.getText();
            if (e.getCode() == KeyCode.OPEN_BRACKET || "[".equals(t)) {
                ctx.explain().scrubLayer(-1);
                e.consume();
            } else if (e.getCode() == KeyCode.CLOSE_BRACKET || "]".equals(t)) {
                ctx.explain().scrubLayer(+1);
                e.consume();
            } else if (e.getCode() == KeyCode.ESCAPE) {
                ctx.status().cancel();
            } else if ("+".equals(t) || "=".equals(t) || e.getCode() == KeyCode.ADD) {
                ctx.viewport().zoomBy(1.25);
                e.consume();
            } else if ("-".equals(t) || e.getCode() == KeyCode.SUBTRACT) {
                ctx.viewport().zoomBy(0.8);
                e.consume();
            } else if ("0".equals(t)) {
                ctx.viewport().fit();
                e.consume();
            } else if ((e.getCode() == KeyCode.UP || e.getCode() == KeyCode.DOWN)
                    && !(scene.getFocusOwner() instanceof javafx.scene.control.ListView)) {
                // Up/down walk the image list unless another list has the focus.
                ctx.images().step(e.getCode() == KeyCode.UP ? -1 : 1);
                e.consume();
            }
        });
    }

    private void showNotice(Notice n) {
        noticeTimer.stop();
        if (n == null) {
            notifications.hide();
            return;
        }
        String icon = switch (n.severity()) {
            case ERROR -> "mdi2a-alert-circle-outline";
            case WARNING -> "mdi2a-alert-outline";
            case INFO -> "mdi2i-information-outline";
        };
        FontIcon graphic = new FontIcon(icon);
        graphic.setIconSize(18);
        notifications.getStyleClass().removeAll("notice-error", "notice-warning", "notice-info");
        notifications.getStyleClass().add("notice-" + n.severity().name().toLowerCase(java.util.Locale.ROOT));
        String text = n.message();
        if (n.severity() == Notice.Severity.ERROR && ctx.notices().logFile() != null) {
            text += "   (details: " + ctx.notices().logFile() + ")";
        }
        if (n.action() != null) {
            Runnable run = n.action();
            notifications.getActions().setAll(new org.controlsfx.control.action.Action(n.actionText(), e -> {
                notifications.hide();
                run.run();
            }));
        } else {
            notifications.getActions().clear();
        }
        notifications.show(text, graphic);
        noticeTimer.setDuration(Duration.seconds(n.severity() == Notice.Severity.ERROR ? 20 : 8));
        noticeTimer.playFromStart();
    }

    /** Sizes the window from the preferences (or to the screen), restores split positions, and shows it. */
    public void show() {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        WindowBounds b = ctx.prefs().window(new WindowBounds(Double.NaN, Double.NaN,
                Math.min(1440, screen.getWidth()), Math.min(900, screen.getHeight()), false));
        stage.setWidth(Math.min(b.width(), screen.getWidth()));
        stage.setHeight(Math.min(b.height(), screen.getHeight()));
        if (!Double.isNaN(b.x()) && screen.contains(b.x() + 40, b.y() + 20)) {
            stage.setX(b.x());
            stage.setY(b.y());
        } else if (stage.getWidth() >= screen.getWidth() - 1) {
            stage.setX(screen.getMinX());
            stage.setY(screen.getMinY());
        }
        stage.setMaximized(b.maximized());
        stage.setMinWidth(900);
        stage.setMinHeight(560);
        stage.titleProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> {
            var m = ctx.models().loadedProperty().get();
            return m == null ? "Saliency Studio" : "Saliency Studio — " + m.manifest().name();
        }, ctx.models().loadedProperty()));
        stage.setScene(scene);
        stage.setOnCloseRequest(e -> saveState());
        restoreSplits();
        stage.show();
        // The first layout can happen at the scene's preferred width before the window takes its final size; a
        // split whose side does not resize with the window would then keep that width. Apply once more after it.
        javafx.application.Platform.runLater(this::restoreSplits);
        imageList.list().requestFocus();
    }

    private void restoreSplits() {
        mainSplit.setDividerPositions(ctx.prefs().split("main", MAIN_SPLIT));
        centerSplit.setDividerPositions(ctx.prefs().split("center", CENTER_SPLIT));
        bottomSplit.setDividerPositions(ctx.prefs().split("bottom", BOTTOM_SPLIT));
    }

    /** Remembers window size and split positions. */
    public void saveState() {
        ctx.prefs().setWindow(new WindowBounds(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(),
                stage.isMaximized()));
        ctx.prefs().setSplit("main", mainSplit.getDividerPositions());
        ctx.prefs().setSplit("center", centerSplit.getDividerPositions());
        ctx.prefs().setSplit("bottom", bottomSplit.getDividerPositions());
        ctx.prefs().flush();
    }

    /** Image list | centre, and panels / choosers: their divider positions are remembered. */
    public SplitPane mainSplit() {
        return mainSplit;
    }

    public SplitPane centerSplit() {
        return centerSplit;
    }

    public Scene scene() {
        return scene;
    }

    public PanelsView panels() {
        return panels;
    }

    private java.util.List<io.saliencystudio.app.images.ImageItem> selectedImages() {
        return java.util.List.copyOf(imageList.list().getSelectionModel().getSelectedItems());
    }

    public ImageListView imageList() {
        return imageList;
    }

    public ClassChooserView classes() {
        return classes;
    }

    public LayerListView layers() {
        return layers;
    }

    public StatusBarView statusBar() {
        return statusBar;
    }

    public NotificationPane notifications() {
        return notifications;
    }

    public ModelPickerView modelPicker() {
        return modelPicker;
    }

    MainCommands commands() {
        return commands;
    }

    /** The handler behind drag-and-drop and paste: routes paths to the image list or the model picker. */
    public io.saliencystudio.app.images.FileDrop fileDrop() {
        return commands.drop();
    }

    /** A colormap with its gradient as the graphic. */
    private static final class ColormapCell extends ListCell<Colormap> {
        @Override
        protected void updateItem(Colormap c, boolean empty) {
            super.updateItem(c, empty);
            if (empty || c == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            Region bar = new Region();
            bar.setMinSize(64, 10);
            bar.setPrefSize(64, 10);
            bar.setMaxSize(64, 10);
            bar.setBackground(new javafx.scene.layout.Background(new javafx.scene.layout.BackgroundFill(
                    io.saliencystudio.app.explain.ColorBarLegend.gradient(c), null, null)));
            setGraphic(bar);
            setText(c.id());
        }
    }
}
