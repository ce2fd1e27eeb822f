package io.saliencystudio.engine.explain;

import io.saliencystudio.engine.explain.attention.AttentionRollout;
import io.saliencystudio.engine.explain.attention.GradientRollout;
import io.saliencystudio.engine.explain.cam.AblationCam;
import io.saliencystudio.engine.explain.cam.EigenCam;
import io.saliencystudio.engine.explain.cam.GradCam;
import io.saliencystudio.engine.explain.cam.GradCamPlusPlus;
import io.saliencystudio.engine.explain.cam.HiResCam;
import io.saliencystudio.engine.explain.cam.LayerCam;
import io.saliencystudio.engine.explain.cam.ScoreCam;
import io.saliencystudio.engine.explain.cam.XGradCam;
import io.saliencystudio.engine.explain.gradient.InputXGradient;
import io.saliencystudio.engine.explain.gradient.IntegratedGradients;
import io.saliencystudio.engine.explain.gradient.Occlusion;
import io.saliencystudio.engine.explain.gradient.Saliency;
import io.saliencystudio.engine.explain.gradient.SmoothGrad;

/** The algorithm behind each {@link Method}. */
public final class Attributions {

    private Attributions() {}

    public static Attribution of(Method method) {
        return switch (method) {
            case SALIENCY -> new Saliency();
            case GRADCAM -> new GradCam();
            case GRADCAM_PLUS_PLUS -> new GradCamPlusPlus();
            case XGRADCAM -> new XGradCam();
            case LAYERCAM -> new LayerCam();
            case HIRESCAM -> new HiResCam();
            case SCORECAM -> new ScoreCam();
            case ABLATIONCAM -> new AblationCam();
            case EIGENCAM -> new EigenCam();
            case SMOOTHGRAD -> new SmoothGrad();
            case INTEGRATED_GRADIENTS -> new IntegratedGradients();
            case INPUT_X_GRADIENT -> new InputXGradient();
            case OCCLUSION -> new Occlusion();
            case ROLLOUT -> new AttentionRollout();
            case GRAD_ROLLOUT -> new GradientRollout();
        };
    }
}
