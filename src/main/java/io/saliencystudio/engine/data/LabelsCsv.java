package io.saliencystudio.engine.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.saliencystudio.engine.figure.SafeWrite;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes {@code labels.csv}, the ground truth beside a folder of images: a header row naming the columns
 * {@code file} and {@code label} (required), {@code index} and {@code x0,y0,x1,y1} (optional, the box in the file's
 * pixels), in any order, names compared ignoring case and surrounding spaces; other columns are ignored. Fields
 * follow RFC 4180 (a quoted field may hold commas, quotes and line breaks); a UTF-8 byte order mark, CRLF line ends,
 * blank lines and spaces around fields are accepted. A row that leaves all four box cells (or the index cell) empty
 * has no box (no index).
 *
 * <p>A file that breaks these rules is rejected as a whole with one {@link LabelsCsvException} naming the file, the
 * data row (1 is the first after the header) and the problem, so callers report it once instead of silently using half of it. Pure Java; any thread.
 */
public final class LabelsCsv {

    /** The name of the file beside the images. */
    public static final String FILE_NAME = "labels.csv";
    static final List<String> BOX_COLUMNS = List.of("x0", "y0", "x1", "y1");

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .build();

    private LabelsCsv() {}

    /**
     * The rows of {@code folder}'s {@code labels.csv} by file name; empty when the folder has none.
     *
     * @throws LabelsCsvException when the file exists but is malformed
     * @throws IOException when it cannot be read
     */
    public static Map<String, LabelRow> readFolder(Path folder) throws IOException {
        Path csv = folder.resolve(FILE_NAME);
        if (!Files.isRegularFile(csv)) {
            return Map.of();
        }
        Map<String, LabelRow> byFile = new LinkedHashMap<>();
        for (LabelRow row : read(csv)) {
            byFile.put(row.file(), row); // a later row for the same file wins
        }
        return byFile;
    }

    /**
     * The rows of a labels file, in file order.
     *
     * @throws LabelsCsvException when the file is malformed (no header, no {@code file} or {@code label} column, a
     *     partial box, a number that is not an integer, an empty file or label cell)
     * @throws IOException when it cannot be read
     */
    public static List<LabelRow> read(Path csv) throws IOException {
        String text = Files.readString(csv, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<List<String>> records = new ArrayList<>();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).readValues(text)) {
            while (it.hasNextValue()) {
                records.add(it.nextValue());
            }
        } catch (JsonProcessingException e) {
            throw new LabelsCsvException(csv, "not a valid CSV file (" + e.getOriginalMessage() + ")", e);
        }
        if (records.isEmpty()) {
            throw new LabelsCsvException(csv, "empty: expected a header row with file and label columns");
        }
        Header header = Header.of(csv, records.get(0));
        List<LabelRow> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> cells = records.get(r);
            if (cells.stream().allMatch(String::isBlank)) {
                continue;
            }
            rows.add(header.row(csv, r, cells));
        }
        return rows;
    }

    /**
     * Writes {@code rows} to {@code csv}, replacing it atomically: columns {@code file,label}, then {@code index} if
     * any row has one, then {@code x0,y0,x1,y1} if any row has a box; fields that need quotes get them.
     */
    public static void write(Path csv, List<LabelRow> rows) throws IOException {
        SafeWrite.write(csv, true, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            write(w, rows);
            w.flush();
        });
    }

    /** As {@link #write(Path, List)}, to a writer (left open). */
    public static void write(Writer out, List<LabelRow> rows) throws IOException {
        boolean index = rows.stream().anyMatch(r -> r.index() != null);
        boolean box = rows.stream().anyMatch(r -> r.box() != null);
        List<String> columns = new ArrayList<>(List.of("file", "label"));
        if (index) {
            columns.add("index");
        }
        if (box) {
            columns.addAll(BOX_COLUMNS);
        }
        List<List<String>> records = new ArrayList<>();
        records.add(columns);
        for (LabelRow r : rows) {
            List<String> cells = new ArrayList<>(List.of(r.file(), r.label()));
            if (index) {
                cells.add(r.index() == null ? "" : r.index().toString());
            }
            if (box) {
                int[] b = r.box();
                for (int k = 0; k < 4; k++) {
                    cells.add(b == null ? "" : Integer.toString(b[k]));
                }
            }
            records.add(cells);
        }
        CSV.writer(CsvSchema.emptySchema().withLineSeparator("\n"))
                .without(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS)
                .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValue(out, records);
    }

    /** Where the columns are. */
    private record Header(int file, int label, int index, int[] box) {

        static Header of(Path csv, List<String> names) throws LabelsCsvException {
            List<String> lower = names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
            int file = lower.indexOf("file");
            int label = lower.indexOf("label");
            if (file < 0 || label < 0) {
                throw new LabelsCsvException(csv, "the header row must name a file and a label column, got "
                        + String.join(",", names));
            }
            int[] box = BOX_COLUMNS.stream().mapToInt(lower::indexOf).toArray();
            int present = (int) java.util.Arrays.stream(box).filter(i -> i >= 0).count();
            if (present != 0 && present != 4) {
                throw new LabelsCsvException(csv, "a box needs all four columns x0,y0,x1,y1, the header has "
                        + String.join(",", names));
            }
            return new Header(file, label, lower.indexOf("index"), present == 4 ? box : null);
        }

        LabelRow row(Path csv, int row, List<String> cells) throws LabelsCsvException {
            String name = cell(cells, file);
            String truth = cell(cells, label);
            if (name.isEmpty() || truth.isEmpty()) {
                throw new LabelsCsvException(csv, "row " + row + ": the " + (name.isEmpty() ? "file" : "label")
                        + " cell is empty");
            }
            Integer idx = null;
            if (index >= 0 && !cell(cells, index).isEmpty()) {
                idx = integer(csv, row, "index", cell(cells, index));
            }
            int[] b = null;
            if (box != null) {
                int empty = 0;
                for (int k = 0; k < 4; k++) {
                    empty += cell(cells, box[k]).isEmpty() ? 1 : 0;
                }
                if (empty == 0) {
                    b = new int[4];
                    for (int k = 0; k < 4; k++) {
                        b[k] = integer(csv, row, BOX_COLUMNS.get(k), cell(cells, box[k]));
                    }
                } else if (empty < 4) {
                    throw new LabelsCsvException(csv, "row " + row + ": a box needs all of x0,y0,x1,y1 or none");
                }
            }
            return new LabelRow(name, truth, idx, b);
        }

        private static String cell(List<String> cells, int column) {
            return column < cells.size() && cells.get(column) != null ? cells.get(column).strip() : "";
        }

        private static int integer(Path csv, int row, String column, String value) throws LabelsCsvException {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new LabelsCsvException(csv, "row " + row + ": " + column + " must be an integer, got '"
                        + value + "'");
            }
        }
    }
}
