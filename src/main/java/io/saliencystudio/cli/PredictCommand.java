package io.saliencystudio.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.saliencystudio.engine.explain.ClassScore;
import io.saliencystudio.engine.explain.Prediction;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.runtime.ExplanationEngine;
import io.saliencystudio.engine.runtime.LoadedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code predict}: top-5 classes with probabilities per image. */
@Command(name = "predict", description = "Top-5 predictions with softmax probabilities for each image.")
final class PredictCommand implements Callable<Integer> {

    static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    ModelOptions options;

    @Spec
    CommandSpec spec;


    // A flag here, a file in evaluate and bench: same name, another meaning, so declared apart.
    @Option(names = "--json", description = "One JSON object per line and image: {\"image\", \"top5\": [{index, label, probability}]}.")
    boolean json;

    @Option(names = "--top", defaultValue = "5", paramLabel = "K", description = "How many classes to list (default ${DEFAULT-VALUE}).")
    int top;

    @Mixin
    ImageFiles imageFiles;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        ModelPackage pkg = options.open();
        ImageBatch decoder = new ImageBatch(pkg.manifest(), spec.commandLine().getErr());
        try (ExplanationEngine engine = new ExplanationEngine()) {
            LoadedModel loaded = engine.load(pkg).join();
            for (Path file : decoder.expand(imageFiles.images)) {
                ModelInput input = decoder.load(file);
                if (input == null) {
                    continue;
                }
                Prediction p = engine.predict(loaded, List.of(input)).join().get(0);
                if (json) {
                    ObjectNode line = JSON.createObjectNode();
                    line.put("image", file.toString());
                    line.set("top5", topJson(p.top(top)));
                    out.println(JSON.writeValueAsString(line));
                } else {
                    out.println(file);
                    for (ClassScore s : p.top(top)) {
                        out.printf("  %4d  %-24s %7.3f%%%n", s.index(), s.label(), 100 * s.probability());
                    }
                }
                out.flush();
            }
            engine.unload(loaded).join();
        }
        return decoder.failures() == 0 ? 0 : Main.SOME_FAILED;
    }

    static ArrayNode topJson(List<ClassScore> scores) {
        ArrayNode arr = JSON.createArrayNode();
        for (ClassScore s : scores) {
            arr.addObject().put("index", s.index()).put("label", s.label()).put("probability", s.probability());
        }
        return arr;
    }
}
