package io.saliencystudio.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.saliencystudio.engine.explain.Explanation;
import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.MethodResult;
import io.saliencystudio.engine.explain.MethodSettings;
import io.saliencystudio.engine.image.ModelInput;
import io.saliencystudio.engine.io.Npy;
import io.saliencystudio.engine.model.ModelPackage;
import io.saliencystudio.engine.render.Colormap;
import io.saliencystudio.engine.render.Overlay;
import io.saliencystudio.engine.runtime.TorchRuntime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import javax.imageio.ImageIO;

/** Writes one image's explanation folder: overlays, raw maps, the input tensor and {@code explanation.json}. */
final class ExplanationWriter {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path out;
    private final ModelPackage pkg;
    private final Colormap colormap;
    private final double opacity;
    private final MethodSettings settings;
    private final Set<String> used = new HashSet<>();

    ExplanationWriter(Path out, ModelPackage pkg, Colormap colormap, double opacity, MethodSettings settings) {
        this.out = out;
        this.pkg = pkg;
        this.colormap = colormap;
        this.opacity = opacity;
        this.settings = settings;
    }

    Path write(ModelInput input, Explanation e) throws IOException {
        Path dir = out.resolve(uniqueStem(input.source()));
        Files.createDirectories(dir);
        var spec = input.spec();
        Npy.write(dir.resolve("input.npy"), input.tensor(), spec.channels(), spec.height(), spec.width());

        ObjectNode json = JSON.createObjectNode();
        json.put("image", input.source());
        json.set("top5", PredictCommand.topJson(e.prediction().top(5)));
        json.putObject("target").put("index", e.target().index()).put("label", e.target().label())
                .put("probability", e.target().probability()).put("logit", e.target().logit());
        String layer = null;
        ObjectNode methods = json.putObject("methods");
        for (MethodResult r : e.results().values()) {
            String name = r.method().id();
            Heatmap map = r.map();
            // A signed map keeps its sign on disk and is drawn on a diverging colormap centred on zero.
            Colormap cmap = r.signed() ? Colormap.COOLWARM : colormap;
            ImageIO.write(Overlay.composite(input.seen(), map, cmap, opacity), "png", dir.resolve(name + ".png").toFile());
            Npy.write(dir.resolve(name + ".npy"), r.signed() ? signedValues(map) : map.values(), map.height(), map.width());
            ObjectNode m = methods.putObject(name).put("min", map.rawMin()).put("max", map.rawMax())
                    .put("ms", Math.round(r.millis() * 1000) / 1000.0).put("blank", map.isBlank())
                    .put("signed", r.signed()).put("colormap", cmap.id());
            m.set("settings", JSON.valueToTree(settings.describe(r.method())));
            m.set("details", JSON.valueToTree(r.details()));
            if (r.layerMap() != null) {
                Heatmap lm = r.layerMap();
                Npy.write(dir.resolve(name + "-layer.npy"), lm.values(), lm.height(), lm.width());
                m.putArray("layerShape").add(lm.height()).add(lm.width());
                layer = r.layer();
            }
        }
        json.put("layer", layer);
        ObjectNode model = json.putObject("model");
        model.put("id", pkg.id()).put("name", pkg.manifest().name()).put("sha256", pkg.manifest().sha256());
        json.putObject("input").put("shape", spec.toString()).put("colorMode", spec.colorMode().name())
                .put("preprocessing", pkg.manifest().preprocessing().toString());
        json.putObject("display").put("colormap", colormap.id()).put("opacity", opacity)
                .put("normalisation", "per map: pixel methods (S-min)/(max-min+1e-8); layer methods (L-min)/max(max-min,1e-8), "
                        + "upsampled bilinear align_corners=False; signed methods raw/max|raw| in [-1, 1] (.npy), "
                        + "drawn 0.5+raw/(2 max|raw|) on coolwarm");
        json.putObject("app").put("version", Versions.app()).put("engine", "DJL PyTorch " + TorchRuntime.version())
                .put("threads", TorchRuntime.threads()).put("date", OffsetDateTime.now().toString());
        JSON.writeValue(dir.resolve("explanation.json").toFile(), json);
        return dir;
    }

    /** A signed map as {@code raw / max|raw|} in [-1, 1]: zero stays zero, the sign survives. */
    static float[] signedValues(Heatmap map) {
        float scale = Math.max(Math.max(Math.abs(map.rawMin()), Math.abs(map.rawMax())), 1e-12f);
        float[] out = new float[map.raw().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = map.raw()[i] / scale;
        }
        return out;
    }

    /** Image stem, made unique within this run (two {@code cat.png} from different folders). */
    private String uniqueStem(String source) {
        String name = Path.of(source).getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String candidate = stem;
        for (int i = 2; !used.add(candidate); i++) {
            candidate = stem + "-" + i;
        }
        return candidate;
    }
}
