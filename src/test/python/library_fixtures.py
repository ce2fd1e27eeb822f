#!/usr/bin/python3
"""Fixtures made by the reference LIBRARIES themselves (pytorch-grad-cam and Captum), for LibraryParityTest.

Unlike reference_cam.py / reference_gradient.py (written from the papers, following the project's own choices),
this runs the libraries' code on the eager shapes model (architecture from models/tools/train_shapes.py, weights
from models/shapes/model.pt) and the first three images of src/test/resources/parity/shapes/input.npy.

Usage (repository root; library paths are source checkouts, e.g. `git archive HEAD` of github:jacobgil/pytorch-grad-cam
and github:pytorch/captum):

    /usr/bin/python3 src/test/python/library_fixtures.py /path/to/pytorch-grad-cam /path/to/captum [--float64]

(GRADCAM_REVISION / CAPTUM_REVISION name the commits when the paths are `git archive` exports, not checkouts.)

Writes src/test/resources/library-parity/{input.npy, *.npy, cases.json}; with --float64, the libraries run on the
float64 network and input instead and write <file>.f64.npy beside each map (not SmoothGrad), for the parity rule's
float64 fallback. Optional imports the libraries make but
these methods never call (ttach, matplotlib, mpl_toolkits, sklearn, tqdm if absent) are replaced by inert stub modules; cv2 must be
the real OpenCV (apt-get install python3-opencv): pytorch-grad-cam resizes its maps with cv2.resize.

pytorch-grad-cam maps are taken at the layer's resolution (its get_target_width_height is pointed at the layer's
size, so its cv2.resize is the identity) after its own ReLU and min-max (`(x - min) / (max + 1e-7)`); one case also
keeps its full-size cv2 output. Captum maps are raw (before any normalisation), summed over colour channels.
"""
import importlib.abc
import importlib.machinery
import json
import subprocess
import sys
import types
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2].parent
OUT = ROOT / "src/test/resources/library-parity"
IMAGES = 3
SIGMA = 0.15
SAMPLES = 3
SUFFIX = ""  # ".f64" for the float64 evaluation (--float64)


class _Stub(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Inert modules for optional imports that are not installed: any attribute is a do-nothing class."""
    NAMES = ("ttach", "matplotlib", "mpl_toolkits", "sklearn", "tqdm")

    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in self.NAMES:  # reached only when no real package was found (appended last)
            return importlib.machinery.ModuleSpec(name, self, is_package=True)
        return None

    def create_module(self, spec):
        m = types.ModuleType(spec.name)
        m.__path__ = []
        m.__getattr__ = lambda attr: type(attr, (), {"__init__": lambda self, *a, **k: None})
        return m

    def exec_module(self, module):
        pass


def eager_model():
    sys.path.insert(0, str(ROOT / "models" / "tools"))
    import refold_defaults
    return refold_defaults.reference_net("shapes", ROOT / "models" / "shapes")


def gradcam_library(model, x, classes, cases):
    import pytorch_grad_cam as g
    from pytorch_grad_cam.utils.model_targets import ClassifierOutputTarget
    methods = {"gradcam": g.GradCAM, "gradcam++": g.GradCAMPlusPlus, "xgradcam": g.XGradCAM, "layercam": g.LayerCAM,
               "hirescam": g.HiResCAM, "scorecam": g.ScoreCAM, "ablationcam": g.AblationCAM, "eigencam": g.EigenCAM}
    for layer in ("layer4", "layer3"):
        module = dict(model.named_modules())[layer]
        with torch.no_grad():
            h, w = model_layer_size(model, module, x)
        for mid, cls in methods.items():
            targets = [ClassifierOutputTarget(c) for c in classes]
            stem = f"gc_{mid.replace('+', 'p')}_{layer}"
            with cls(model=model, target_layers=[module]) as cam:
                if mid == "scorecam":
                    cam.batch_size = 64
                full = cam(input_tensor=x.clone().requires_grad_(True), targets=targets) if layer == "layer4" and mid == "gradcam" else None
                cam.get_target_width_height = lambda _t, hw=(w, h): hw
                maps = cam(input_tensor=x.clone().requires_grad_(True), targets=targets)
            np.save(OUT / f"{stem}{SUFFIX}.npy", maps.astype(np.float32))
            case = {"library": "pytorch-grad-cam", "method": mid, "layer": layer, "file": f"{stem}.npy",
                    "resolution": "layer", "classes": classes}
            cases.append(case)
            if full is not None:
                np.save(OUT / f"{stem}_full{SUFFIX}.npy", full.astype(np.float32))
                cases.append(dict(case, file=f"{stem}_full.npy", resolution="input"))
            print("pytorch-grad-cam", mid, layer, maps.shape, flush=True)
    # Ablation-CAM for each image's LOWEST class, whose logit is negative: (y - y_k) / y flips every weight's sign.
    with torch.no_grad():
        lowest = model(x).argmin(1).tolist()
        negative = [float(v) for v in model(x).min(1).values]
    module = dict(model.named_modules())["layer4"]
    with g.AblationCAM(model=model, target_layers=[module]) as cam:
        cam.get_target_width_height = lambda _t: (6, 6)
        maps = cam(input_tensor=x.clone().requires_grad_(True), targets=[ClassifierOutputTarget(c) for c in lowest])
    np.save(OUT / f"gc_ablationcam_layer4_lowest{SUFFIX}.npy", maps.astype(np.float32))
    cases.append({"library": "pytorch-grad-cam", "method": "ablationcam", "layer": "layer4", "classes": lowest,
                  "file": "gc_ablationcam_layer4_lowest.npy", "resolution": "layer", "logits": negative})


def model_layer_size(model, module, x):
    kept = {}
    hook = module.register_forward_hook(lambda _m, _i, o: kept.__setitem__("a", o))
    model(x[:1])
    hook.remove()
    return tuple(kept["a"].shape[2:])


def captum_library(model, x, classes, cases):
    from captum.attr import (InputXGradient, IntegratedGradients, LayerGradCam, NoiseTunnel, Occlusion, Saliency)
    from captum.attr._core.noise_tunnel import NoiseTunnel as NT
    target = torch.tensor(classes)

    def save(name, method, t, settings):
        arr = t.detach().numpy().astype(np.float32)
        np.save(OUT / f"{name}{SUFFIX}.npy", arr)
        cases.append({"library": "captum", "method": method, "file": f"{name}.npy", "settings": settings,
                      "classes": classes, "resolution": "input"})
        print("captum", name, arr.shape, flush=True)

    save("cp_saliency", "saliency", Saliency(model).attribute(x.clone(), target=target, abs=True).sum(1), {})
    save("cp_inputxgrad", "inputxgrad", InputXGradient(model).attribute(x.clone(), target=target).sum(1), {})
    ig = IntegratedGradients(model)
    for quad, steps, tag in (("gausslegendre", 50, "gauss_legendre"), ("riemann_trapezoid", 20, "riemann_trapezoid")):
        attr, delta = ig.attribute(x.clone(), baselines=torch.zeros_like(x), target=target, n_steps=steps,
                                   method=quad, return_convergence_delta=True)
        save(f"cp_ig_{tag}_{steps}", "ig", attr.sum(1),
             {"baseline": "mean", "steps": steps, "quadrature": tag, "convergenceDelta": delta.tolist()})
    occ = Occlusion(model)
    for win, stride in ((12, 6), (14, 13)):
        a = occ.attribute(x.clone(), sliding_window_shapes=(3, win, win), strides=(3, stride, stride), baselines=0,
                          target=target)
        save(f"cp_occlusion_{win}_{stride}", "occlusion", a[:, 0], {"window": win, "stride": stride, "fill": "mean"})
    for layer in ("layer4", "layer3"):
        lgc = LayerGradCam(model, dict(model.named_modules())[layer])
        a = lgc.attribute(x.clone(), target=target, relu_attributions=True)[:, 0]
        save(f"cp_layergradcam_{layer}", "gradcam", a, {"layer": layer, "normalised": False})
        cases[-1].update(layer=layer, resolution="layer")
    if SUFFIX:
        return  # SmoothGrad's noise is drawn in the input's dtype: a float64 run would perturb differently
    # SmoothGrad: NoiseTunnel(Saliency), stdevs ABSOLUTE = 0.15 * (max x - min x) per image; the noise Captum drew
    # is recorded so the project can be run on the same perturbations.
    drawn = []
    original = NT._add_noise_to_input

    def recording(inp, stdev, n):
        noisy = original(inp, stdev, n)
        drawn.append((noisy - inp.repeat_interleave(n, dim=0)).detach())
        return noisy

    NT._add_noise_to_input = staticmethod(recording)
    maps, noise = [], []
    torch.manual_seed(1234)
    for i in range(x.shape[0]):
        drawn.clear()
        stdev = SIGMA * float(x[i].max() - x[i].min())
        a = NoiseTunnel(Saliency(model)).attribute(x[i:i + 1].clone(), nt_type="smoothgrad", nt_samples=SAMPLES,
                                                   stdevs=stdev, target=classes[i], abs=True)
        maps.append(a.sum(1)[0])
        noise.append(torch.cat(drawn))
    NT._add_noise_to_input = staticmethod(original)
    np.save(OUT / "cp_smoothgrad_noise.npy", torch.stack(noise).numpy().astype(np.float32))
    save("cp_smoothgrad", "smoothgrad", torch.stack(maps), {"sigma": SIGMA, "samples": SAMPLES, "squared": False,
                                                            "stdevsAbsolute": True})
    cases[-1]["noise"] = "cp_smoothgrad_noise.npy"


def revision(path, env):
    """The checkout's commit; for a `git archive` export (no .git) the commit given in environment variable env."""
    import os
    if os.environ.get(env):
        return os.environ[env]
    try:
        return subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def main_float64():
    """The float64 evaluation of every map (same input and classes), next to it as <file>.f64.npy, values rounded to
    float32 when saved; cases.json is kept. For the parity rule's float64 fallback (ParityRule.java)."""
    global SUFFIX
    SUFFIX = ".f64"
    doc = json.loads((OUT / "cases.json").read_text())
    model = eager_model().double()
    x = torch.from_numpy(np.load(OUT / doc["input"])).double()
    gradcam_library(model, x, doc["classes"], [])
    captum_library(model, x, doc["classes"], [])


def main(gradcam_path, captum_path, float64=False):
    sys.meta_path.append(_Stub())
    sys.path[:0] = [str(gradcam_path), str(captum_path)]
    torch.set_num_threads(2)
    if float64:
        return main_float64()
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.npy"):
        old.unlink()
    model = eager_model()
    x = torch.from_numpy(np.load(ROOT / "src/test/resources/parity/shapes/input.npy"))[:IMAGES].float()
    np.save(OUT / "input.npy", x.numpy())
    with torch.no_grad():
        classes = model(x).argmax(1).tolist()
    cases = []
    gradcam_library(model, x, classes, cases)
    captum_library(model, x, classes, cases)
    import captum
    doc = {"model": "shapes", "input": "input.npy", "threads": 2, "torch": torch.__version__,
           "pytorchGradCam": revision(gradcam_path, "GRADCAM_REVISION"), "captum": getattr(captum, "__version__", "?"),
           "captumRevision": revision(captum_path, "CAPTUM_REVISION"), "classes": classes, "cases": cases}
    (OUT / "cases.json").write_text(json.dumps(doc, indent=1) + "\n")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--float64"]
    if len(args) != 2:
        sys.exit(__doc__)
    main(Path(args[0]).resolve(), Path(args[1]).resolve(), float64="--float64" in sys.argv)
