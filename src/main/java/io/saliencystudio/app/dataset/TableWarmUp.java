package io.saliencystudio.app.dataset;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

/**
 * Steps (one per pulse, {@link OnePerPulse}) that make a table's cells before its real rows arrive, while the table
 * is transparent: its first column and one stand-in row, then the other columns one at a time, then a few more
 * stand-in rows at a time, then its real items (the cells are reused for them). Measured on the data set table (7
 * columns) on the 2-core machine under load: its first row alone, made in the layout pass after the first audited
 * rows arrived, was one FX frame of 130-160 ms CPU (cell skins and styles made for the first time), the window's
 * longest; made a column per pulse, no frame of the opening went over ~72 ms. FX thread only.
 */
final class TableWarmUp {

    private TableWarmUp() {}

    /**
     * @param sample a stand-in row (never shown: the table is transparent meanwhile)
     * @param rows stand-in rows in all, about the rows the table shows at once
     * @param perStep stand-in rows added per pulse
     */
    /** The steps: first the costly ones (a row, column by column), then the cheap ones (more rows, the real items). */
    record Steps(List<Runnable> first, List<Runnable> rest) {}

    static <T> Steps steps(TableView<T> table, T sample, int rows, int perStep) {
        ObservableList<T> real = table.getItems();
        ObservableList<T> fake = FXCollections.observableArrayList();
        List<TableColumn<T, ?>> columns = List.copyOf(table.getColumns());
        boolean[] over = {false};
        Runnable restore = () -> {
            if (!over[0]) {
                over[0] = true;
                table.getColumns().setAll(columns);
                table.setItems(real);
                table.setOpacity(1);
            }
        };
        // Real rows end the warm-up at once: they are shown as soon as they arrive.
        real.addListener((ListChangeListener<T>) c -> {
            if (table.getItems() == fake) {
                restore.run();
            }
        });
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> {
            if (real.isEmpty()) {
                table.setOpacity(0);
                table.getColumns().setAll(columns.get(0));
                table.setItems(fake);
            } else {
                over[0] = true;
            }
        });
        // The first row's cells cost most (their skins and styles are made for the first time): a column at a time.
        steps.add(() -> fake.add(sample));
        for (TableColumn<T, ?> c : columns.subList(1, columns.size())) {
            steps.add(() -> {
                if (!over[0]) {
                    table.getColumns().add(c);
                }
            });
        }
        List<Runnable> rest = new ArrayList<>();
        for (int done = 1; done < rows; done += perStep) {
            int n = Math.min(perStep, rows - done);
            rest.add(() -> {
                for (int i = 0; i < n; i++) {
                    fake.add(sample);
                }
            });
        }
        rest.add(restore);
        return new Steps(steps, rest);
    }
}
