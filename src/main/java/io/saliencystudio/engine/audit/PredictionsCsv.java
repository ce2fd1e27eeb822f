package io.saliencystudio.engine.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.saliencystudio.engine.figure.SafeWrite;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * {@code predictions.csv}: one row per audited image, {@value #HEADER}. Labels are the model's; probabilities are
 * written with {@link Double#toString} (shortest exact form), so rows read back for {@code --resume} give the same
 * summary as an uninterrupted run. {@code true_rank} (1 = correct) follows the columns the issue names so that top-5
 * accuracy survives a resume. Read and written with jackson-dataformat-csv, as {@code engine.data.LabelsCsv}.
 */
public final class PredictionsCsv {

    public static final String FILE_NAME = "predictions.csv";
    public static final String HEADER = "image,true,predicted,confidence,correct,true_probability,margin,loss,true_rank";
    private static final List<String> COLUMNS = List.of(HEADER.split(","));

    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

    private PredictionsCsv() {}

    /** A row's cells, labels from the model. */
    static List<String> cells(AuditRow r, List<String> labels) {
        return List.of(r.image(), labels.get(r.trueIndex()), labels.get(r.predicted()), Double.toString(r.confidence()),
                Boolean.toString(r.correct()), Double.toString(r.trueProbability()), Double.toString(r.margin()),
                Double.toString(r.loss()), Integer.toString(r.trueRank()));
    }

    /** Rows read back, and whether the file ended in a partial row (an interrupted write) that was dropped. */
    public record Existing(List<AuditRow> rows, int dropped) {}

    /**
     * The complete rows of an earlier run's file, in order; a row that is cut short or names a label the model does
     * not have is dropped (and counted), so an interrupted run resumes from what it finished.
     *
     * @throws IOException when the file cannot be read or its header is not {@value #HEADER}
     */
    public static Existing read(Path file, List<String> labels) throws IOException {
        LabelMatcher matcher = new LabelMatcher(labels);
        List<AuditRow> rows = new ArrayList<>();
        int dropped = 0;
        String text = Files.readString(file, StandardCharsets.UTF_8);
        // An interrupted append can leave a last line without its end: it is not a finished row.
        if (!text.isEmpty() && !text.endsWith("\n")) {
            text = text.substring(0, text.lastIndexOf('\n') + 1);
            dropped++;
        }
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).readValues(text)) {
            if (!it.hasNextValue()) {
                return new Existing(rows, dropped);
            }
            List<String> header = it.nextValue();
            if (!header.equals(COLUMNS)) {
                throw new IOException(file + " is not a predictions.csv of this version (header "
                        + String.join(",", header) + "): move it away or choose another --out");
            }
            while (it.hasNextValue()) {
                List<String> c = it.nextValue();
                AuditRow row = parse(c, matcher);
                if (row == null) {
                    dropped++;
                } else {
                    rows.add(row);
                }
            }
        }
        return new Existing(rows, dropped);
    }

    private static AuditRow parse(List<String> c, LabelMatcher matcher) {
        if (c.size() != COLUMNS.size()) {
            return null;
        }
        OptionalInt truth = matcher.byLabel(c.get(1));
        OptionalInt predicted = matcher.byLabel(c.get(2));
        if (truth.isEmpty() || predicted.isEmpty()) {
            return null;
        }
        try {
            return new AuditRow(c.get(0), truth.getAsInt(), predicted.getAsInt(), Double.parseDouble(c.get(3)),
                    Double.parseDouble(c.get(5)), Double.parseDouble(c.get(6)), Double.parseDouble(c.get(7)),
                    Integer.parseInt(c.get(8)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Starts {@code file} afresh with the header and {@code rows} (written atomically), then opens it for appending:
     * a resumed run rewrites what it kept (dropping a partial last row) and continues after it.
     */
    public static Appender start(Path file, List<String> labels, List<AuditRow> rows) throws IOException {
        SafeWrite.write(file, true, out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            try (SequenceWriter seq = writer(w)) {
                seq.write(COLUMNS);
                for (AuditRow r : rows) {
                    seq.write(cells(r, labels));
                }
            }
            w.flush();
        });
        return new Appender(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND), labels);
    }

    private static SequenceWriter writer(Writer w) throws IOException {
        return CSV.writer(CsvSchema.emptySchema().withLineSeparator("\n"))
                .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .writeValues(w);
    }

    /** Appends rows; each {@link #append} ends with a flush, so a killed run loses at most the batch in flight. */
    public static final class Appender implements Closeable {
        private final Writer out;
        private final SequenceWriter seq;
        private final List<String> labels;

        Appender(Writer out, List<String> labels) throws IOException {
            this.out = out;
            this.seq = writer(out);
            this.labels = labels;
        }

        public void append(List<AuditRow> rows) throws IOException {
            for (AuditRow r : rows) {
                seq.write(cells(r, labels));
            }
            seq.flush();
            out.flush();
        }

        @Override
        public void close() throws IOException {
            seq.close();
            out.close();
        }
    }
}
