package io.saliencystudio.engine.explain;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.stream.Collectors;

/**
 * An explanation method. Ids are what the CLI accepts and what files are called. Each method says where its map lives
 * (a layer tap or the input pixels), whether its map is signed, and whether it is computed from the one shared
 * forward+backward pass or needs passes of its own.
 */
public enum Method {
    /** Vanilla gradient: sum over channels of |d logit / d input|, min-max normalised. */
    SALIENCY("saliency", "Saliency", Kind.PIXEL, false, true),
    /** Grad-CAM (Selvaraju et al.): ReLU of gradient-mean-weighted activations at a layer tap. */
    GRADCAM("gradcam", "Grad-CAM", Kind.LAYER, false, true),
    /** Grad-CAM++ (Chattopadhay et al.): second/third gradient powers under the exp-of-score assumption. */
    GRADCAM_PLUS_PLUS("gradcam++", "Grad-CAM++", Kind.LAYER, false, true),
    /** XGrad-CAM (Fu et al.): weights = sum(grad * A) / sum(A). */
    XGRADCAM("xgradcam", "XGrad-CAM", Kind.LAYER, false, true),
    /** LayerCAM (Jiang et al.): element-wise ReLU(grad) * A. */
    LAYERCAM("layercam", "LayerCAM", Kind.LAYER, false, true),
    /** HiResCAM (Draelos and Carin): element-wise grad * A summed over channels. */
    HIRESCAM("hirescam", "HiResCAM", Kind.LAYER, false, true),
    /** Score-CAM (Wang et al.): one masked forward per channel, weighted by the class probability. */
    SCORECAM("scorecam", "Score-CAM", Kind.LAYER, false, false),
    /** Ablation-CAM (Desai and Ramaswamy): one forward per channel with that channel zeroed at the tap. */
    ABLATIONCAM("ablationcam", "Ablation-CAM", Kind.LAYER, false, false),
    /** Eigen-CAM (Muhammad and Yeasin): projection of the activations on their first principal component. */
    EIGENCAM("eigencam", "Eigen-CAM", Kind.LAYER, false, true),
    /** SmoothGrad (Smilkov et al.): saliency averaged over noisy copies of the input. */
    SMOOTHGRAD("smoothgrad", "SmoothGrad", Kind.PIXEL, false, false),
    /** Integrated Gradients (Sundararajan et al.): path integral of gradients from a baseline; signed. */
    INTEGRATED_GRADIENTS("ig", "Integrated Gradients", Kind.PIXEL, true, false),
    /** Input x Gradient (Shrikumar et al.): input times its gradient, summed over channels; signed. */
    INPUT_X_GRADIENT("inputxgrad", "Input \u00d7 Gradient", Kind.PIXEL, true, true),
    /** Occlusion (Zeiler and Fergus): drop in the class logit when a window is covered; signed. */
    OCCLUSION("occlusion", "Occlusion", Kind.PIXEL, true, false),
    /** Attention rollout (Abnar and Zuidema 2020): product over layers of head-mean attention mixed with identity. */
    ROLLOUT("rollout", "Attention rollout", Kind.ATTENTION, false, false),
    /** Gradient-weighted rollout (Chefer et al. 2021): R += mean_heads(ReLU(grad A * A)) R over layers. */
    GRAD_ROLLOUT("gradrollout", "Gradient rollout", Kind.ATTENTION, false, false);

    /** Where a method's map lives. */
    public enum Kind {
        /** At a layer tap's resolution, upsampled to the input for display (needs a model with taps). */
        LAYER,
        /** At the model input's resolution. */
        PIXEL,
        /**
         * At a transformer's patch grid, from its attention maps, upsampled like layer maps (needs a model whose
         * export exposes attention, models/FORMAT.md "attention").
         */
        ATTENTION
    }

    private final String id;
    private final String displayName;
    private final Kind kind;
    private final boolean signed;
    private final boolean singlePass;

    Method(String id, String displayName, Kind kind, boolean signed, boolean singlePass) {
        this.id = id;
        this.displayName = displayName;
        this.kind = kind;
        this.signed = signed;
        this.singlePass = singlePass;
    }

    public String id() {
        return id;
    }

    /** The name shown in the UI and on figures. */
    public String displayName() {
        return displayName;
    }

    public Kind kind() {
        return kind;
    }

    /** Whether the method reads a layer's activation (and so needs a model exported with taps). */
    public boolean needsLayer() {
        return kind == Kind.LAYER;
    }

    /** Whether the method reads attention maps (and so needs a model whose manifest declares them). */
    public boolean needsAttention() {
        return kind == Kind.ATTENTION;
    }

    /** Whether the map is computed at a grid (layer or patch grid) and upsampled to the input for display. */
    public boolean gridMap() {
        return kind != Kind.PIXEL;
    }

    /** Whether a model with (or without) layer taps and attention maps can run this method. */
    public boolean availableOn(boolean hasTaps, boolean hasAttention) {
        return switch (kind) {
            case PIXEL -> true;
            case LAYER -> hasTaps;
            case ATTENTION -> hasAttention;
        };
    }

    /** Why a model without what the method needs cannot run it (for menus and error messages). */
    public String unavailableReason() {
        return switch (kind) {
            case PIXEL -> "";
            case LAYER -> "needs layer taps";
            case ATTENTION -> "needs a vision transformer exported with attention maps";
        };
    }

    /** Signed maps keep their sign: shown with a diverging colormap on a symmetric scale, saved signed. */
    public boolean signed() {
        return signed;
    }

    /**
     * True when the map comes from the one forward+backward pass shared by all such methods of a request (so asking
     * for several of them costs about as much as asking for one); false when the method runs passes of its own.
     */
    public boolean singlePass() {
        return singlePass;
    }

    /** The two methods the product is built around: saliency and Grad-CAM. */
    public static EnumSet<Method> core() {
        return EnumSet.of(SALIENCY, GRADCAM);
    }

    public static Method fromId(String id) {
        for (Method m : values()) {
            if (m.id.equalsIgnoreCase(id.strip()) || m.name().equalsIgnoreCase(id.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + id + "'; choose one of "
                + Arrays.stream(values()).map(Method::id).collect(Collectors.joining(", ")));
    }
}
