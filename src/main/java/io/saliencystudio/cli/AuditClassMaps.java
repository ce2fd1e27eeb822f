package io.saliencystudio.cli;

import io.saliencystudio.engine.audit.AuditItem;
import io.saliencystudio.engine.audit.Auditor;
import io.saliencystudio.engine.audit.ClassMaps;
import io.saliencystudio.engine.explain.ExplainRequest;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.figure.SafeWrite;
import io.saliencystudio.engine.image.ImageLoadException;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.InputSpec;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;

/** {@code audit --class-maps}: every image explained once more, its maps added to its class's running means. */
final class AuditClassMaps {

    static final String FILE_NAME = "class-maps.png";

    private AuditClassMaps() {}

    static ClassMaps compute(ExplanationEngine engine, LoadedModel loaded, Auditor.Decoder decoder,
            List<AuditItem> items, Set<Method> methods, int batch, PrintWriter err) {
        InputSpec spec = loaded.manifest().input();
        ClassMaps maps = new ClassMaps(loaded.numClasses(), spec.width(), spec.height());
        List<ModelInput> inputs = new ArrayList<>();
        List<AuditItem> ready = new ArrayList<>();
        int step = Math.max(1, Math.min(batch, 32)); // maps are input-sized: a bounded batch bounds memory
        for (int i = 0; i < items.size(); i++) {
            try {
                inputs.add(decoder.decode(items.get(i)));
                ready.add(items.get(i));
            } catch (ImageLoadException e) {
                // already listed as skipped by the audit
            }
            if (inputs.size() == step || (i == items.size() - 1 && !inputs.isEmpty())) {
                List<Explanation> explained = engine.explain(loaded, ExplainRequest.of(inputs, null, methods, null))
                        .join();
                for (int j = 0; j < explained.size(); j++) {
                    Explanation e = explained.get(j);
                    Map<Method, Heatmap> byMethod = new EnumMap<>(Method.class);
                    methods.forEach(m -> byMethod.put(m, e.result(m).map()));
                    int trueIndex = ready.get(j).trueIndex();
                    maps.add(trueIndex, e.prediction().top(1).get(0).index() == trueIndex, byMethod);
                }
                inputs.clear();
                ready.clear();
            }
        }
        err.flush();
        return maps;
    }

    /** Renders the small multiples, writes them atomically and returns the PNG's bytes (for the report). */
    static byte[] writePng(ClassMaps maps, List<String> labels, Colormap colormap, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(maps.render(labels, colormap, 64), "png", bytes);
        byte[] png = bytes.toByteArray();
        SafeWrite.write(file, true, out -> out.write(png));
        return png;
    }
}
