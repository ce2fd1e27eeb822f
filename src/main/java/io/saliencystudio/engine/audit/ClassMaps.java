package io.saliencystudio.engine.audit;

import io.saliencystudio.engine.explain.Heatmap;
import io.saliencystudio.engine.explain.Method;
import io.saliencystudio.engine.render.Colormap;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Mean maps per true class over a data set, kept apart for correctly and wrongly classified images: where the model
 * looks when it is right about a class, and where it looks when it gets that class wrong. Each map is its normalised
 * values ([0, 1]) at input resolution; the mean is over the images of that class and outcome, so one running sum per
 * (class, outcome, method) is all that is kept, whatever the size of the data set.
 */
public final class ClassMaps {

    private static final Font HEADER = new Font(Font.SANS_SERIF, Font.BOLD, 12);
    private static final Font SUBHEADER = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font COUNT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    private final int classes;
    private final int width;
    private final int height;
    private final Map<Method, double[][]> sums = new EnumMap<>(Method.class);
    private final int[][] counts;

    public ClassMaps(int classes, int width, int height) {
        this.classes = classes;
        this.width = width;
        this.height = height;
        this.counts = new int[classes][2];
    }

    /** Counts one image of class {@code trueIndex}; {@code maps} are its maps (of the predicted class). */
    public void add(int trueIndex, boolean correct, Map<Method, Heatmap> maps) {
        int slot = slot(trueIndex, correct);
        counts[trueIndex][correct ? 0 : 1]++;
        for (var e : maps.entrySet()) {
            Heatmap map = e.getValue();
            if (map.width() != width || map.height() != height) {
                throw new IllegalArgumentException("maps must be " + width + "x" + height + ", got " + map.width()
                        + "x" + map.height());
            }
            double[][] s = sums.computeIfAbsent(e.getKey(), m -> new double[2 * classes][]);
            if (s[slot] == null) {
                s[slot] = new double[width * height];
            }
            float[] v = map.values();
            for (int i = 0; i < v.length; i++) {
                s[slot][i] += v[i] == v[i] ? v[i] : 0;
            }
        }
    }

    /** Images counted for this class and outcome. */
    public int count(int trueIndex, boolean correct) {
        return counts[trueIndex][correct ? 0 : 1];
    }

    /** The mean map, or null when no image of this class had this outcome (or the method was not computed). */
    public float[] mean(int trueIndex, boolean correct, Method method) {
        double[][] s = sums.get(method);
        int n = count(trueIndex, correct);
        if (s == null || n == 0 || s[slot(trueIndex, correct)] == null) {
            return null;
        }
        double[] sum = s[slot(trueIndex, correct)];
        float[] out = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            out[i] = (float) (sum[i] / n);
        }
        return out;
    }

    public List<Method> methods() {
        return new ArrayList<>(sums.keySet());
    }

    /**
     * Small multiples: one row per class, for each method a "right" and a "wrong" column, each cell the mean map in
     * the colormap on one scale per method shared by all its cells (0 to its brightest mean value, so cells compare),
     * labelled with the number of images; empty cells (no image) are left grey.
     */
    public BufferedImage render(List<String> labels, Colormap colormap, int cell) {
        List<Method> methods = methods();
        float[] tops = new float[methods.size()];
        for (int m = 0; m < tops.length; m++) {
            tops[m] = top(methods.get(m));
        }
        int labelWidth = 130;
        int header = 40;
        int gap = 6;
        int columns = 2 * methods.size();
        int w = labelWidth + columns * (cell + gap);
        int h = header + classes * (cell + gap);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.DARK_GRAY);
            g.setFont(HEADER);
            for (int m = 0; m < methods.size(); m++) {
                int x = labelWidth + 2 * m * (cell + gap);
                g.drawString(methods.get(m).displayName(), x, 16);
                g.setFont(SUBHEADER);
                g.drawString("right", x, 32);
                g.drawString("wrong", x + cell + gap, 32);
                g.setFont(HEADER);
            }
            g.setFont(LABEL);
            for (int c = 0; c < classes; c++) {
                int y = header + c * (cell + gap);
                String label = c < labels.size() ? labels.get(c) : Integer.toString(c);
                g.setColor(Color.DARK_GRAY);
                g.drawString(label.length() > 18 ? label.substring(0, 17) + "…" : label, 4, y + cell / 2 + 4);
                for (int m = 0; m < methods.size(); m++) {
                    for (int k = 0; k < 2; k++) {
                        boolean correct = k == 0;
                        int x = labelWidth + (2 * m + k) * (cell + gap);
                        float[] mean = mean(c, correct, methods.get(m));
                        if (mean == null) {
                            g.setColor(new Color(0xEE, 0xEE, 0xEE));
                            g.fillRect(x, y, cell, cell);
                        } else {
                            g.drawImage(cellImage(mean, 1 / tops[m], colormap, cell), x, y, null);
                        }
                        g.setColor(mean == null ? Color.GRAY : Color.WHITE);
                        g.setFont(COUNT);
                        g.drawString("n=" + count(c, correct), x + 3, y + cell - 4);
                        g.setFont(LABEL);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The brightest mean value of a method over all classes and outcomes: the top of that method's colour scale. */
    private float top(Method method) {
        float top = 0;
        for (int c = 0; c < classes; c++) {
            for (boolean correct : new boolean[] {true, false}) {
                float[] mean = mean(c, correct, method);
                for (int i = 0; mean != null && i < mean.length; i++) {
                    top = Math.max(top, mean[i]);
                }
            }
        }
        return top > 0 ? top : 1;
    }

    /** One mean map drawn at {@code cell} x {@code cell} (nearest neighbour: the cells show the map's own pixels). */
    private BufferedImage cellImage(float[] mean, float scale, Colormap colormap, int cell) {
        BufferedImage img = new BufferedImage(cell, cell, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < cell; y++) {
            int sy = Math.min(height - 1, y * height / cell);
            for (int x = 0; x < cell; x++) {
                int sx = Math.min(width - 1, x * width / cell);
                img.setRGB(x, y, colormap.argb(Math.max(0f, Math.min(1f, mean[sy * width + sx] * scale))));
            }
        }
        return img;
    }

    private int slot(int trueIndex, boolean correct) {
        if (trueIndex < 0 || trueIndex >= classes) {
            throw new IllegalArgumentException("class " + trueIndex + " out of range 0.." + (classes - 1));
        }
        return 2 * trueIndex + (correct ? 0 : 1);
    }
}
