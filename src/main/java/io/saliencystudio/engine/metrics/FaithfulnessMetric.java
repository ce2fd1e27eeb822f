package io.saliencystudio.engine.metrics;

/**
 * The faithfulness figures an evaluation reports per image and map, each with the direction that means "more
 * faithful", so every table that shows them can say which way is better.
 */
public enum FaithfulnessMetric {

    DELETION_AUC("deletion_auc", "Deletion AUC", false),
    INSERTION_AUC("insertion_auc", "Insertion AUC", true),
    AVERAGE_DROP("average_drop", "Average drop", false),
    /** 1 where the masked image scored higher than the original, else 0: its mean is the rate of increase. */
    INCREASE("increase", "Increase in confidence", true),
    ROAD_MORF("road_morf", "ROAD MoRF", false),
    ROAD_LERF("road_lerf", "ROAD LeRF", true),
    ROAD("road", "ROAD", true);

    private final String id;
    private final String displayName;
    private final boolean higherIsBetter;

    FaithfulnessMetric(String id, String displayName, boolean higherIsBetter) {
        this.id = id;
        this.displayName = displayName;
        this.higherIsBetter = higherIsBetter;
    }

    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    public boolean higherIsBetter() {
        return higherIsBetter;
    }

    /** "higher is better" or "lower is better". */
    public String better() {
        return higherIsBetter ? "higher is better" : "lower is better";
    }

    /**
     * This metric's value for one image and map, or NaN where it was not computed (a ROAD figure without a ROAD
     * result).
     */
    public double of(Faithfulness f, Road road) {
        return switch (this) {
            case DELETION_AUC -> f.deletion().auc();
            case INSERTION_AUC -> f.insertion().auc();
            case AVERAGE_DROP -> f.averageDrop();
            case INCREASE -> f.increase() ? 1 : 0;
            case ROAD_MORF -> road == null ? Double.NaN : road.morfMean();
            case ROAD_LERF -> road == null ? Double.NaN : road.lerfMean();
            case ROAD -> road == null ? Double.NaN : road.combined();
        };
    }
}
