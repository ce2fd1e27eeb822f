package io.saliencystudio.engine.metrics;

import io.saliencystudio.engine.explain.Method;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Faithfulness over many images: per method and metric the {@link Spread} (n, mean, sd, median, quartiles, range)
 * of the per-image values, and the images that could not be evaluated with the reason. A failed image is recorded,
 * never fatal: the summary covers the images that worked and says which did not.
 *
 * <p>Shared by the CLI's {@code evaluate} (its means) and the app's "Evaluate selection" (its table). Not thread-safe:
 * fill it from one thread at a time (the CLI's main thread, the app's UI thread).
 */
public final class FaithfulnessSummary {

    /** An image (and method, where only one failed; {@code null} for the whole image) that gave no result. */
    public record Failure(String image, Method method, String reason) {}

    /** One line of the table: a method, a metric and how it spreads over the images. */
    public record Line(Method method, FaithfulnessMetric metric, Spread spread) {}

    private final Map<Method, Map<FaithfulnessMetric, List<Double>>> values = new EnumMap<>(Method.class);
    private final Set<String> images = new LinkedHashSet<>();
    private final List<Failure> failures = new ArrayList<>();

    /** Records one image's result for one method; {@code road} is {@code null} when ROAD was not asked for. */
    public void add(String image, Method method, Faithfulness result, Road road) {
        Map<FaithfulnessMetric, List<Double>> byMetric = values.computeIfAbsent(method,
                m -> new EnumMap<>(FaithfulnessMetric.class));
        for (FaithfulnessMetric metric : FaithfulnessMetric.values()) {
            double v = metric.of(result, road);
            if (!Double.isNaN(v)) {
                byMetric.computeIfAbsent(metric, k -> new ArrayList<>()).add(v);
            }
        }
        images.add(image);
    }

    /** Records that {@code image} (for {@code method}, or for every method when {@code null}) gave no result. */
    public void fail(String image, Method method, String reason) {
        failures.add(new Failure(image, method, reason));
    }

    /** The spread of {@code metric} for {@code method} over the images recorded; {@link Spread#EMPTY} if none. */
    public Spread spread(Method method, FaithfulnessMetric metric) {
        List<Double> v = values.getOrDefault(method, Map.of()).get(metric);
        return v == null ? Spread.EMPTY : Spread.of(v.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The methods with at least one result, in enum order. */
    public Set<Method> methods() {
        return java.util.Collections.unmodifiableSet(values.keySet());
    }

    /** Every (method, metric) with at least one value: methods in enum order, then metrics in enum order. */
    public List<Line> lines() {
        List<Line> out = new ArrayList<>();
        values.forEach((method, byMetric) -> byMetric.keySet()
                .forEach(metric -> out.add(new Line(method, metric, spread(method, metric)))));
        return out;
    }

    /** Images with at least one result. */
    public int images() {
        return images.size();
    }

    public List<Failure> failures() {
        return List.copyOf(failures);
    }

    public static final String CSV_HEADER = "method,metric,better,n,mean,sd,median,q1,q3,min,max,note";

    /**
     * The table as CSV (one line per method and metric), then one {@code failed} line per failure with the image and
     * reason in {@code note}. Numbers with six decimals, empty where undefined (sd of one image).
     */
    public String csv() {
        StringWriter w = new StringWriter();
        PrintWriter out = new PrintWriter(w);
        out.println(CSV_HEADER);
        for (Line l : lines()) {
            Spread s = l.spread();
            out.println(String.join(",", l.method().id(), l.metric().id(), l.metric().higherIsBetter() ? "higher" : "lower",
                    Integer.toString(s.n()), num(s.mean()), num(s.sd()), num(s.median()), num(s.q1()), num(s.q3()),
                    num(s.min()), num(s.max()), ""));
        }
        for (Failure f : failures) {
            out.println(String.join(",", f.method() == null ? "" : f.method().id(), "failed", "", "0", "", "", "", "",
                    "", "", "", csvField(f.image() + ": " + f.reason())));
        }
        out.flush();
        return w.toString();
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6f", v);
    }

    /** Quotes a field holding a comma, quote or line break (RFC 4180); shared with the CLI's CSV files. */
    public static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
