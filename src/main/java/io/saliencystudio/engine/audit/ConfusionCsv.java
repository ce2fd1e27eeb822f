package io.saliencystudio.engine.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.saliencystudio.engine.figure.SafeWrite;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code confusion.csv}: rows are true classes, columns predicted classes; the first row is {@value #CORNER} then the
 * labels, each later row starts with its label; cells are image counts.
 */
public final class ConfusionCsv {

    public static final String FILE_NAME = "confusion.csv";
    public static final String CORNER = "true/predicted";

    private ConfusionCsv() {}

    public static void write(Path file, AuditTally tally, List<String> labels) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of(CORNER));
        header.addAll(labels);
        records.add(header);
        for (int t = 0; t < tally.classes(); t++) {
            List<String> row = new ArrayList<>(List.of(labels.get(t)));
            for (int p = 0; p < tally.classes(); p++) {
                row.add(Long.toString(tally.count(t, p)));
            }
            records.add(row);
        }
        SafeWrite.write(file, true, out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            new CsvMapper().writer(CsvSchema.emptySchema().withLineSeparator("\n"))
                    .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET).writeValue(w, records);
            w.flush();
        });
    }
}
