package io.saliencystudio.engine.audit;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Finds a model class from the name a data set gives it: the label itself, the label ignoring case and surrounding
 * spaces, or the label with the characters a file name cannot hold written as {@code _} (ImageFolder folders are
 * named so: {@code T-shirt/top} becomes {@code T-shirt_top}). Pure Java; any thread.
 */
public final class LabelMatcher {

    private final List<String> labels;
    private final Map<String, Integer> exact = new HashMap<>();
    private final Map<String, Integer> loose = new HashMap<>();

    public LabelMatcher(List<String> labels) {
        this.labels = List.copyOf(labels);
        for (int i = 0; i < labels.size(); i++) {
            exact.putIfAbsent(labels.get(i), i);
            loose.putIfAbsent(fold(labels.get(i)), i);
            loose.putIfAbsent(fold(fileName(labels.get(i))), i);
        }
    }

    /** The label as a folder name: {@code / \ : * ? " < > |} and control characters become {@code _}. */
    public static String fileName(String label) {
        StringBuilder b = new StringBuilder(label.length());
        for (char c : label.toCharArray()) {
            b.append(c < 32 || "/\\:*?\"<>|".indexOf(c) >= 0 ? '_' : c);
        }
        return b.toString();
    }

    private static String fold(String s) {
        return s.strip().toLowerCase(Locale.ROOT);
    }

    /** The class a label names, empty when none does. */
    public OptionalInt byLabel(String label) {
        Integer i = exact.get(label);
        if (i == null) {
            i = loose.get(fold(label));
        }
        return i == null ? OptionalInt.empty() : OptionalInt.of(i);
    }

    /** As {@link #byLabel}, then a folder named by the class index ({@code 0}, {@code 7}). */
    public OptionalInt byFolderName(String name) {
        OptionalInt label = byLabel(name);
        if (label.isPresent() || !name.matches("\\d{1,9}")) {
            return label;
        }
        int index = Integer.parseInt(name);
        return index < labels.size() ? OptionalInt.of(index) : OptionalInt.empty();
    }

    public List<String> labels() {
        return labels;
    }
}
