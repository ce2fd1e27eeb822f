package io.saliencystudio.app.explain;

import io.saliencystudio.app.service.ExplainOutcome;
import io.saliencystudio.engine.figure.FigureSpec;
import io.saliencystudio.engine.render.Colormap;
import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * The "Export figure" dialog: layout, title, shared or per-map scale and DPI, with a low-DPI preview rendered in the
 * background by the same renderer as the export. Returns the chosen {@link FigureExport.Settings}.
 */
public final class FigureExportDialog extends Dialog<FigureExport.Settings> {

    private final ChoiceBox<FigureSpec.Layout> layout = new ChoiceBox<>();
    private final TextField title = new TextField();
    private final ChoiceBox<FigureSpec.ScaleMode> scale = new ChoiceBox<>();
    private final Spinner<Integer> dpi = new Spinner<>(FigureExport.MIN_DPI, FigureExport.MAX_DPI, 300, 6);
    private final ImageView preview = new ImageView();
    private final Label previewStatus = new Label();
    private final FigureExport export;
    private final List<ExplainOutcome> outcomes;
    private final Colormap colormap;
    private final double opacity;
    private long previewGeneration;

    public FigureExportDialog(Window owner, FigureExport export, List<ExplainOutcome> outcomes, Colormap colormap,
            double opacity, int initialDpi) {
        this.export = export;
        this.outcomes = List.copyOf(outcomes);
        this.colormap = colormap;
        this.opacity = opacity;
        initOwner(owner);
        setTitle(outcomes.size() > 1 ? "Export grid of " + outcomes.size() + " images" : "Export figure");
        setHeaderText("Figure options (format from the file name: .png, .svg or .pdf)");
        if (outcomes.size() > 1) {
            layout.getItems().setAll(FigureSpec.Layout.GRID);
        } else {
            layout.getItems().setAll(FigureSpec.Layout.ROW, FigureSpec.Layout.SINGLE);
        }
        layout.getSelectionModel().selectFirst();
        layout.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(FigureSpec.Layout l) {
                return l == null ? "" : l.caption();
            }

            @Override
            public FigureSpec.Layout fromString(String s) {
                return null;
            }
        });
        scale.getItems().setAll(FigureSpec.ScaleMode.values());
        scale.getSelectionModel().select(FigureSpec.ScaleMode.PER_MAP);
        scale.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(FigureSpec.ScaleMode m) {
                return m == null ? "" : m.caption();
            }

            @Override
            public FigureSpec.ScaleMode fromString(String s) {
                return null;
            }
        });
        dpi.setEditable(true);
        dpi.getValueFactory().setValue(Math.max(FigureExport.MIN_DPI, Math.min(FigureExport.MAX_DPI, initialDpi)));
        layout.setId("figure-layout");
        title.setId("figure-title");
        scale.setId("figure-scale");
        dpi.setId("figure-dpi");
        preview.setId("figure-preview");

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("Layout"), layout);
        form.addRow(1, new Label("Title"), title);
        form.addRow(2, new Label("Colour scale"), scale);
        form.addRow(3, new Label("DPI (72–600)"), dpi);
        preview.setPreserveRatio(true);
        preview.setFitWidth(480);
        preview.setFitHeight(320);
        VBox box = new VBox(10, form, new Label("Preview"), preview, previewStatus);
        box.setPadding(new Insets(10));
        getDialogPane().setContent(box);
        getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        ((javafx.scene.control.Button) getDialogPane().lookupButton(ButtonType.OK)).setText("Export…");
        setResultConverter(b -> b == ButtonType.OK ? settings() : null);

        layout.valueProperty().addListener(x -> refreshPreview());
        scale.valueProperty().addListener(x -> refreshPreview());
        title.textProperty().addListener(x -> refreshPreview());
        refreshPreview();
    }

    /** The current choices. */
    public FigureExport.Settings settings() {
        return new FigureExport.Settings(layout.getValue(), title.getText(), scale.getValue(), dpi.getValue(),
                colormap, opacity);
    }

    /** Renders a preview in the background; only the newest one is shown. */
    private void refreshPreview() {
        long gen = ++previewGeneration;
        previewStatus.setText("Rendering preview…");
        export.preview(outcomes, settings()).whenCompleteAsync((img, error) -> {
            if (gen != previewGeneration) {
                return;
            }
            if (error != null) {
                previewStatus.setText("No preview: " + FigureExport.describe(error));
            } else {
                preview.setImage(SwingFXUtils.toFXImage(img, null));
                previewStatus.setText(img.getWidth() + " × " + img.getHeight() + " px at "
                        + FigureExport.PREVIEW_DPI + " DPI");
            }
        }, Platform::runLater);
    }

    public static Optional<FigureExport.Settings> ask(Window owner, FigureExport export, List<ExplainOutcome> outcomes,
            Colormap colormap, double opacity, int dpi) {
        return new FigureExportDialog(owner, export, outcomes, colormap, opacity, dpi).showAndWait();
    }
}
