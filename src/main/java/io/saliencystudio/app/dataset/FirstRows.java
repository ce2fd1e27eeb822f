package io.saliencystudio.app.dataset;

import javafx.animation.AnimationTimer;
import javafx.collections.ListChangeListener;
import javafx.scene.Parent;
import javafx.scene.control.TableView;
import javafx.scene.layout.Region;

/**
 * Lets a table's first rows in a few per pulse: when its items first become non-empty the table is capped at
 * {@code perPulse} rows high and grows by as many a pulse until it shows all its items or fills its parent, then the
 * cap goes. Each new row of cells costs its first CSS pass, and the first rows a JavaFX process makes run cold: a whole
 * viewport of them in one frame cost 60-135 ms of FX-thread time in the data set view, the per-class table's 10 rows
 * with its skin 112 ms (measured); a few rows a frame stay well below. The table needs a fixed cell size and a parent
 * that honours its maximum height (a VBox). Use on the FX thread.
 */
final class FirstRows {

    /** Room for the column headers above the rows. */
    private static final double HEADER = 30;

    private FirstRows() {
    }

    static <T> void grow(TableView<T> table, int perPulse) {
        table.getItems().addListener(new ListChangeListener<T>() {
            @Override
            public void onChanged(Change<? extends T> c) {
                if (!table.getItems().isEmpty()) {
                    table.getItems().removeListener(this);
                    start(table, perPulse);
                }
            }
        });
    }

    private static void start(TableView<?> table, int perPulse) {
        double row = table.getFixedCellSize();
        table.setMaxHeight(HEADER + perPulse * row);
        new AnimationTimer() {
            private int rows = perPulse;

            @Override
            public void handle(long now) {
                rows += perPulse;
                double cap = HEADER + rows * row;
                Parent parent = table.getParent();
                double space = parent instanceof Region r && r.getHeight() > 0 ? r.getHeight() : Double.MAX_VALUE;
                if (rows >= table.getItems().size() || cap >= space) {
                    table.setMaxHeight(Double.MAX_VALUE);
                    stop();
                } else {
                    table.setMaxHeight(cap);
                }
            }
        }.start();
    }
}
