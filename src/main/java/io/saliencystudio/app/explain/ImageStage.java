package io.saliencystudio.app.explain;

import javafx.geometry.Point2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.Cursor;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.Pane;
import javafx.scene.shape.Rectangle;

/**
 * The drawing area of one panel: the image the model saw with an optional heatmap on top, scaled without smoothing
 * (each model pixel stays a crisp square), positioned from the shared {@link Viewport}. Mouse input drives the
 * viewport, so every panel pans, zooms and shows the hover marker together.
 */
final class ImageStage extends Pane {

    private final Viewport viewport;
    private final ImageView base = new ImageView();
    private final ImageView overlay = new ImageView();
    private final Rectangle box = new Rectangle();
    private final Rectangle marker = new Rectangle();
    private final Rectangle clip = new Rectangle();
    private Rectangle2D boxInImage;
    private double dragX;
    private double dragY;

    ImageStage(Viewport viewport) {
        this.viewport = viewport;
        getStyleClass().add("image-stage");
        for (ImageView v : new ImageView[] {base, overlay}) {
            v.setSmooth(false);
            v.setPreserveRatio(false);
            v.setManaged(false);
        }
        base.getStyleClass().add("panel-image");
        overlay.getStyleClass().add("heatmap-overlay");
        box.getStyleClass().add("truth-box");
        marker.getStyleClass().add("hover-marker");
        for (Rectangle r : new Rectangle[] {box, marker}) {
            r.setManaged(false);
            r.setMouseTransparent(true);
            r.setVisible(false);
        }
        getChildren().addAll(base, overlay, box, marker);
        setClip(clip);
        setMinSize(60, 60);
        setPrefSize(320, 320);
        viewport.zoomProperty().addListener(o -> requestLayout());
        viewport.centerXProperty().addListener(o -> requestLayout());
        viewport.centerYProperty().addListener(o -> requestLayout());
        viewport.hoverXProperty().addListener(o -> requestLayout());
        viewport.hoverYProperty().addListener(o -> requestLayout());
        installMouse();
    }

    ImageView base() {
        return base;
    }

    ImageView overlay() {
        return overlay;
    }

    Rectangle box() {
        return box;
    }

    void setBox(Rectangle2D inImage) {
        boxInImage = inImage;
        requestLayout();
    }

    private double imageWidth() {
        Image i = base.getImage();
        return i == null ? 0 : i.getWidth();
    }

    private double imageHeight() {
        Image i = base.getImage();
        return i == null ? 0 : i.getHeight();
    }

    /** Screen pixels per image pixel. */
    double scale() {
        double w = imageWidth();
        double h = imageHeight();
        if (w == 0 || h == 0) {
            return 1;
        }
        return Math.min(getWidth() / w, getHeight() / h) * viewport.zoomProperty().get();
    }

    private Point2D origin() {
        double s = scale();
        return new Point2D(getWidth() / 2 - viewport.centerXProperty().get() * imageWidth() * s,
                getHeight() / 2 - viewport.centerYProperty().get() * imageHeight() * s);
    }

    /** The image pixel under a point of this pane, or {@code null} outside the image. */
    int[] pixelAt(double x, double y) {
        double s = scale();
        Point2D o = origin();
        int ix = (int) Math.floor((x - o.getX()) / s);
        int iy = (int) Math.floor((y - o.getY()) / s);
        return ix >= 0 && iy >= 0 && ix < imageWidth() && iy < imageHeight() ? new int[] {ix, iy} : null;
    }

    @Override
    protected void layoutChildren() {
        clip.setWidth(getWidth());
        clip.setHeight(getHeight());
        double s = scale();
        Point2D o = origin();
        for (ImageView v : new ImageView[] {base, overlay}) {
            v.setX(o.getX());
            v.setY(o.getY());
            v.setFitWidth(imageWidth() * s);
            v.setFitHeight(imageHeight() * s);
        }
        box.setVisible(boxInImage != null && base.getImage() != null && box.getUserData() != Boolean.FALSE);
        if (boxInImage != null) {
            box.setX(o.getX() + boxInImage.getMinX() * s);
            box.setY(o.getY() + boxInImage.getMinY() * s);
            box.setWidth(boxInImage.getWidth() * s);
            box.setHeight(boxInImage.getHeight() * s);
        }
        int hx = viewport.hoverXProperty().get();
        int hy = viewport.hoverYProperty().get();
        boolean hover = hx >= 0 && hy >= 0 && hx < imageWidth() && hy < imageHeight();
        marker.setVisible(hover);
        if (hover) {
            double m = Math.max(s, 6);
            marker.setX(o.getX() + (hx + 0.5) * s - m / 2);
            marker.setY(o.getY() + (hy + 0.5) * s - m / 2);
            marker.setWidth(m);
            marker.setHeight(m);
        }
    }

    private void installMouse() {
        setOnMouseMoved(e -> {
            int[] p = pixelAt(e.getX(), e.getY());
            if (p == null) {
                viewport.clearHover();
            } else {
                viewport.hover(p[0], p[1]);
            }
        });
        setOnMouseExited(e -> viewport.clearHover());
        setOnMousePressed(e -> {
            dragX = e.getX();
            dragY = e.getY();
            if (viewport.zoomProperty().get() > Viewport.MIN_ZOOM) {
                setCursor(Cursor.CLOSED_HAND);
            }
        });
        setOnMouseReleased(e -> setCursor(Cursor.DEFAULT));
        setOnMouseDragged(e -> {
            double s = scale();
            if (imageWidth() > 0) {
                viewport.pan(-(e.getX() - dragX) / s / imageWidth(), -(e.getY() - dragY) / s / imageHeight());
            }
            dragX = e.getX();
            dragY = e.getY();
        });
        setOnScroll(e -> {
            if (e.getDeltaY() == 0 || imageWidth() == 0) {
                return;
            }
            double s = scale();
            Point2D o = origin();
            double fx = (e.getX() - o.getX()) / s / imageWidth();
            double fy = (e.getY() - o.getY()) / s / imageHeight();
            viewport.zoomAt(e.getDeltaY() > 0 ? 1.25 : 0.8, fx, fy);
            e.consume();
        });
        setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                viewport.fit();
            }
        });
    }
}
