package io.saliencystudio.engine.sanity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The layer groups a cascade randomises, derived from a model's parameter names alone (so it works for any exported
 * classifier). A group is a module path; names are listed without the wrapper the export adds ({@code net.}).
 *
 * <p>Granularity: the top-level modules in the order their parameters are listed (a ResNet gives conv1, bn1,
 * layer1..layer4, fc: 7 groups; the shapes model the same; fashion-mnist stem, layer1..layer3, fc: 5). When that
 * gives fewer than {@value #MIN_GROUPS} groups, the group with the most parameter tensors is split into its child
 * modules (a stage into its blocks), repeatedly, as long as the total stays at most {@value #MAX_GROUPS}: one step per
 * group costs one explanation, and Adebayo et al.'s figures read well at about 5-12 steps. Very deep top-level lists
 * (more than 12 top-level modules) are kept as they are.
 *
 * @param groups module paths below the wrapper, in the order their parameters are listed (input side first)
 * @param parameters per group, the full names of its parameters (as {@code parameterNames()} lists them)
 */
public record LayerGroups(List<String> groups, Map<String, List<String>> parameters) {

    public static final int MIN_GROUPS = 5;
    public static final int MAX_GROUPS = 12;

    public LayerGroups {
        groups = List.copyOf(groups);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        parameters.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        parameters = Collections.unmodifiableMap(copy);
        if (!parameters.keySet().containsAll(groups)) {
            throw new IllegalArgumentException("every group needs its parameter list");
        }
    }

    /** Groups of a model whose parameters are named as DJL lists them (e.g. {@code net.layer4.0.conv2.weight}). */
    public static LayerGroups of(List<String> parameterNames) {
        if (parameterNames.isEmpty()) {
            throw new IllegalArgumentException("The model exposes no parameters to randomise (a frozen TorchScript "
                    + "module hides them): export it unfrozen with models/tools/export.py");
        }
        List<String[]> paths = new ArrayList<>();
        for (String name : parameterNames) {
            paths.add(name.split("\\."));
        }
        int skip = wrapperDepth(paths);
        List<Group> groups = children(paths, skip, 1);
        while (groups.size() < MIN_GROUPS) {
            int best = -1;
            for (int i = 0; i < groups.size(); i++) {
                Group g = groups.get(i);
                if (g.splitInto() > 1 && groups.size() - 1 + g.splitInto() <= MAX_GROUPS
                        && (best < 0 || g.members().size() > groups.get(best).members().size())) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            Group g = groups.get(best);
            groups.remove(best);
            groups.addAll(best, children(g.members(), skip, g.depth() + 1));
        }
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (Group g : groups) {
            parameters.put(g.name(), g.members().stream().map(p -> String.join(".", p)).toList());
        }
        return new LayerGroups(groups.stream().map(Group::name).toList(), parameters);
    }

    /** The groups in cascade order: the output side first (fc, layer4, ...), as Adebayo et al. randomise. */
    public List<String> topDown() {
        List<String> out = new ArrayList<>(groups);
        Collections.reverse(out);
        return out;
    }

    /** Selects exactly the parameters of one group, by their full names. */
    public Predicate<String> member(String group) {
        List<String> names = parameters.get(group);
        if (names == null) {
            throw new IllegalArgumentException("no layer group '" + group + "'");
        }
        return java.util.Set.copyOf(names)::contains;
    }

    /** A module path with the parameter paths under it, at a depth counted below the wrapper. */
    private record Group(String name, int depth, List<String[]> members, int splitInto) {}

    /**
     * How many leading segments all names share and can lose while each name keeps a module and a parameter name
     * (so {@code net.fc.weight} loses {@code net}, but a model that is only {@code fc} keeps it).
     */
    private static int wrapperDepth(List<String[]> paths) {
        int depth = 0;
        while (true) {
            String first = null;
            for (String[] p : paths) {
                if (p.length - depth < 3 || (first != null && !first.equals(p[depth]))) {
                    return depth;
                }
                first = p[depth];
            }
            depth++;
        }
    }

    /**
     * Groups the paths by their first {@code depth} segments below {@code skip}, in order of first appearance; a
     * parameter that sits directly on a shallower module stays with that module's path.
     */
    private static List<Group> children(List<String[]> paths, int skip, int depth) {
        Map<String, List<String[]>> byKey = new LinkedHashMap<>();
        for (String[] p : paths) {
            byKey.computeIfAbsent(key(p, skip, depth), k -> new ArrayList<>()).add(p);
        }
        List<Group> out = new ArrayList<>();
        for (var e : byKey.entrySet()) {
            long sub = e.getValue().stream().map(p -> key(p, skip, depth + 1)).distinct().count();
            out.add(new Group(e.getKey(), depth, e.getValue(), (int) sub));
        }
        return out;
    }

    /** The module path of a parameter cut to {@code depth} segments (the last segment is the parameter itself). */
    private static String key(String[] path, int skip, int depth) {
        int moduleSegments = path.length - 1 - skip;
        int take = Math.max(1, Math.min(depth, moduleSegments));
        return String.join(".", java.util.Arrays.copyOfRange(path, skip, skip + take));
    }
}
