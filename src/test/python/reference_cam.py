#!/usr/bin/python3
"""Reference values for the CAM family, written from the papers (not from the Java code), on the EAGER models.

For each default model the architecture comes from `models/tools/train_*.py` and the weights from the TorchScript
file's state_dict. A forward hook on the module gives the activation A, a tensor hook its gradient dA (one backward
of the sum of the target logits, weights frozen, eval mode). Methods (ReLU'd maps at the layer's resolution, then
the display normalisation: subtract the min, divide by max(max, 1e-8); then bilinear, align_corners=False):

- Grad-CAM:   w_k = mean_ij g,                                   L = ReLU(sum_k w_k A_k)
- Grad-CAM++: alpha = g^2 / (2 g^2 + sum_ab A_k * g^3) (0 where g == 0 or the denominator is 0),
              w_k = sum_ij alpha ReLU(g)                         (closed form under the exp-of-score assumption)
- XGrad-CAM:  w_k = sum_ij g A / (sum_ij A + 1e-7)
- LayerCAM:   L = ReLU(sum_k ReLU(g_k) A_k)      HiResCAM: L = ReLU(sum_k g_k A_k)
- Eigen-CAM:  (HW x C) matrix centred per channel, projection on the first right singular vector, sign such that
              it correlates positively with the channel sum of A (ties: largest |value| positive), ReLU
- Score-CAM:  M_k = minmax(bilinear(A_k) to the input), constant ones skipped; s_k = softmax(model(x * M_k))[c]
- Ablation-CAM: y_c^k = logit with channel k zeroed by a forward hook; w_k = (y_c - y_c^k) / y_c; all-zero
              channels skipped (weight 0)

Usage (repository root): /usr/bin/python3 src/test/python/reference_cam.py
Writes src/test/resources/parity-methods/<model-id>/cam/{input.npy, <method>_<case>[_layer].npy, cases.json}.
With --float64: the same maps on the float64 network, as <file>.f64.npy beside each (the parity rule's fallback).
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "models" / "tools"))

METHODS = ["gradcam", "gradcam++", "xgradcam", "layercam", "hirescam", "eigencam", "scorecam", "ablationcam"]
IMAGES = 3


def eager_model(model_id):
    import refold_defaults
    return refold_defaults.reference_net(model_id, REPO / "models" / model_id)


def activation_and_gradient(model, module, x, classes):
    """A and dy_c/dA for every image (one backward of sum_n logits[n, c_n]); c_n = top-1 where classes is None."""
    kept = {}

    def hook(_m, _inp, out):
        kept["a"] = out
        out.register_hook(lambda g: kept.__setitem__("g", g))

    h = module.register_forward_hook(hook)
    try:
        with torch.enable_grad():
            xg = x.clone().requires_grad_(True)  # so the graph reaches the hooked module
            logits = model(xg)
            if classes is None:
                classes = logits.argmax(1).tolist()
            logits.gather(1, torch.tensor(classes)[:, None]).sum().backward()
    finally:
        h.remove()
    return logits.detach(), classes, kept["a"].detach(), kept["g"].detach()


def weighted(a, w):
    return torch.relu((w[:, :, None, None] * a).sum(1))


def gradcam(a, g):
    return weighted(a, g.mean((2, 3)))


def gradcam_pp(a, g):
    g2, g3 = g ** 2, g ** 3
    denominator = 2 * g2 + a.sum((2, 3))[:, :, None, None] * g3
    ok = (g != 0) & (denominator != 0)
    alpha = torch.where(ok, g2 / torch.where(ok, denominator, torch.ones_like(denominator)), torch.zeros_like(g))
    return weighted(a, (alpha * torch.relu(g)).sum((2, 3)))


def xgradcam(a, g):
    return weighted(a, (g * a).sum((2, 3)) / (a.sum((2, 3)) + 1e-7))


def layercam(a, g):
    return torch.relu((torch.relu(g) * a).sum(1))


def hirescam(a, g):
    return torch.relu((g * a).sum(1))


def eigencam(a):
    n, c, h, w = a.shape
    out = []
    for i in range(n):
        m = a[i].reshape(c, h * w).T.numpy().astype(np.float64)
        channel_sum = m.sum(1)
        m = m - m.mean(0, keepdims=True)
        _, _, vt = np.linalg.svd(m, full_matrices=False)
        p = m @ vt[0]
        cov = ((p - p.mean()) * (channel_sum - channel_sum.mean())).sum()
        if cov < 0 or (cov == 0 and p[np.argmax(np.abs(p))] < 0):
            p = -p
        out.append(np.maximum(p, 0).reshape(h, w))
    return torch.from_numpy(np.stack(out))


def scorecam(model, x, a, classes):
    n, c = a.shape[:2]
    size = x.shape[2:]
    out, skipped = [], []
    for i in range(n):
        up = F.interpolate(a[i:i + 1].transpose(0, 1), size=size, mode="bilinear", align_corners=False)  # (C,1,H,W)
        lo = up.flatten(1).min(1).values
        hi = up.flatten(1).max(1).values
        keep = hi > lo
        w = torch.zeros(c, dtype=torch.float64)
        if keep.any():
            masks = (up[keep] - lo[keep, None, None, None]) / (hi - lo)[keep, None, None, None]
            with torch.no_grad():
                probs = torch.softmax(model(x[i:i + 1] * masks).double(), dim=1)[:, classes[i]]
            w[keep] = probs
        skipped.append(int((~keep).sum()))
        out.append(torch.relu((w[:, None, None] * a[i].double()).sum(0)))
    return torch.stack(out), skipped


def ablationcam(model, module, x, a, logits, classes):
    n, c = a.shape[:2]
    out, skipped = [], []
    for i in range(n):
        live = [k for k in range(c) if bool((a[i, k] != 0).any())]
        w = torch.zeros(c, dtype=torch.float64)
        if live:
            def zero_channel(_m, _inp, o, live=live):
                o = o.clone()
                for row, k in enumerate(live):
                    o[row, k] = 0
                return o

            h = module.register_forward_hook(zero_channel)
            try:
                with torch.no_grad():
                    ablated = model(x[i:i + 1].repeat(len(live), 1, 1, 1))[:, classes[i]].double()
            finally:
                h.remove()
            y = float(logits[i, classes[i]])
            w[live] = (y - ablated) / (y if y != 0 else 1.0)
        skipped.append(c - len(live))
        out.append(torch.relu((w[:, None, None] * a[i].double()).sum(0)))
    return torch.stack(out), skipped


def normalise(cam):
    """Subtract the min, divide by max(max, 1e-8) (the product's Grad-CAM display normalisation)."""
    flat = cam.flatten(1)
    lo = flat.min(1).values
    norm = cam - lo[:, None, None]
    return norm / torch.clamp(norm.flatten(1).max(1).values, min=1e-8)[:, None, None]


def maps(model, module, x, classes):
    logits, classes, a, g = activation_and_gradient(model, module, x, classes)
    ad, gd = a.double(), g.double()
    raw = {
        "gradcam": gradcam(ad, gd), "gradcam++": gradcam_pp(ad, gd), "xgradcam": xgradcam(ad, gd),
        "layercam": layercam(ad, gd), "hirescam": hirescam(ad, gd), "eigencam": eigencam(a),
    }
    raw["scorecam"], score_skipped = scorecam(model, x, a, classes)
    raw["ablationcam"], ablation_skipped = ablationcam(model, module, x, a, logits, classes)
    return logits, classes, raw, {"scorecam": score_skipped, "ablationcam": ablation_skipped}


def write(model_id, cases, out_dir, float64=False):
    """float64: the same cases on the float64 network and input, each map saved as <file>.f64.npy (values rounded to
    float32) beside the float32 fixture, cases.json kept: the parity rule's float64 fallback (ParityRule.java)."""
    torch.set_num_threads(2)
    model = eager_model(model_id)
    x = torch.from_numpy(np.load(REPO / "src/test/resources/parity" / model_id / "input.npy"))[:IMAGES]
    suffix = ".f64.npy" if float64 else ".npy"
    if float64:
        model, x = model.double(), x.double()
    else:
        out_dir.mkdir(parents=True, exist_ok=True)
        for old in out_dir.glob("*.npy"):
            old.unlink()
        np.save(out_dir / "input.npy", x.numpy().astype(np.float32))
    listed = []
    for ci, case in enumerate(cases):
        module = dict(model.named_modules())[case["layer"]]
        classes = case["classes"]
        if classes == "second":  # a given class: the second-ranked one of each image
            with torch.no_grad():
                classes = model(x).argsort(1, descending=True)[:, 1].tolist()
        logits, used, raw, skipped = maps(model, module, x, classes)
        files = {}
        for method in METHODS:
            layer = normalise(raw[method])
            stem = method.replace("+", "p")
            files[method] = {"layer": f"{stem}_{ci}_layer.npy"}
            np.save(out_dir / f"{stem}_{ci}_layer{suffix}", layer.numpy().astype(np.float32))
            if case["upsampled"]:
                up = F.interpolate(layer[:, None], size=tuple(x.shape[2:]), mode="bilinear", align_corners=False)[:, 0]
                files[method]["upsampled"] = f"{stem}_{ci}.npy"
                np.save(out_dir / f"{stem}_{ci}{suffix}", up.numpy().astype(np.float32))
        listed.append({
            "layer": case["layer"], "classes": used, "classesGiven": case["classes"] is not None, "files": files,
            "rawMax": {m: raw[m].flatten(1).max(1).values.tolist() for m in METHODS},
            "skippedChannels": skipped,
        })
        print(model_id, case["layer"], used, {m: [round(v, 4) for v in raw[m].flatten(1).max(1).values.tolist()]
                                              for m in METHODS}, skipped, flush=True)
    if float64:
        return
    doc = {"input": "input.npy", "shape": list(x.shape), "threads": torch.get_num_threads(),
           "torch": torch.__version__, "methods": METHODS, "cases": listed}
    (out_dir / "cases.json").write_text(json.dumps(doc, indent=2) + "\n")


CASES = {
    "fashion-mnist": [
        {"layer": "layer3", "classes": None, "upsampled": True},
        {"layer": "layer3", "classes": "second", "upsampled": True},
        {"layer": "layer2", "classes": None, "upsampled": True},
        {"layer": "layer2", "classes": "second", "upsampled": False},
    ],
    "shapes": [
        {"layer": "layer4", "classes": None, "upsampled": True},
        {"layer": "layer4", "classes": "second", "upsampled": False},
        {"layer": "layer3", "classes": None, "upsampled": False},  # 96x96 maps are 110 KB each: one case is enough
        {"layer": "layer3", "classes": "second", "upsampled": False},
    ],
}

if __name__ == "__main__":
    for mid, cs in CASES.items():
        write(mid, cs, REPO / "src/test/resources/parity-methods" / mid / "cam", float64="--float64" in sys.argv)
