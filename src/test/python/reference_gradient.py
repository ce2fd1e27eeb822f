"""Reference maps for the gradient family, on the EAGER models, written from the papers and Captum's documented
definitions (not from the Java code). Writes fixtures read by GradientParityTest:

    /usr/bin/python3 src/test/python/reference_gradient.py

into src/test/resources/parity-methods/<model-id>/gradient/: input.npy (N,C,H,W normalised tensors, the images of
the existing parity fixtures), one raw map per case (N,H,W float32, before any normalisation), the SmoothGrad noise
(N,S,C,H,W: the perturbations themselves, already scaled) and cases.json.

Definitions (x = the normalised tensor the model sees, f_c = pre-softmax logit of class c):
- Input x Gradient (Shrikumar et al.): sum_ch x * df_c/dx.
- SmoothGrad (Smilkov et al.): mean over samples s of sum_ch |g_s| (squared: sum_ch g_s^2), g_s = df_c/dx at x + e_s,
  e_s ~ N(0, (sigma * (max x - min x))^2) element-wise; c fixed for every noisy copy.
- Integrated Gradients (Sundararajan et al.): (x - x') * sum_i w_i grad f_c(x' + alpha_i (x - x')), summed over
  channels; alphas/weights as Captum's approximation_methods (riemann_trapezoid: linspace(0,1,n), weights
  1/(n-1) with halves at the ends; gausslegendre: numpy leggauss(n) mapped to [0,1]). Baselines: mean = 0; black =
  (0 - mean_c)/std_c; blurred = separable Gaussian blur of x per channel, sigma = min(H,W)/10, radius ceil(3 sigma),
  replicate padding, horizontal pass first.
- Occlusion (Zeiler and Fergus): square window over all channels, positions 0, stride, ... plus a last one flush with
  the far edge; fill 0 (mean) or black; attribution = mean over covering windows of f_c(x) - f_c(x occluded).
"""
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "models" / "tools"))

import refold_defaults  # noqa: E402
import train_fashion_mnist  # noqa: E402
import train_shapes  # noqa: E402

torch.set_num_threads(2)

MODELS = {
    # id: (eager class, images taken from the parity fixture, SmoothGrad samples saved per image)
    "fashion-mnist": (train_fashion_mnist.FashionNet, 4, 8),
    "shapes": (train_shapes.ShapesResNet, 3, 3),
}
SMOOTHGRAD_SIGMA = 0.15
SMOOTHGRAD_SEED = 1234


def eager_model(model_id):
    return refold_defaults.reference_net(model_id, ROOT / "models" / model_id)


def logits(model, x):
    with torch.no_grad():
        return model(x)


def input_grads(model, x, classes):
    """d f_c / d x per row of x (one backward of the sum of each row's target logit)."""
    xg = x.detach().clone().requires_grad_(True)
    out = model(xg)
    out.gather(1, torch.as_tensor(classes, dtype=torch.long)[:, None]).sum().backward()
    return xg.grad.detach()


# -------------------------------------------------------------------------------------------------- methods
def input_x_gradient(model, x, classes):
    return (x * input_grads(model, x, classes)).sum(dim=1)


def smoothgrad(model, x1, c, noise, squared):
    """x1 (C,H,W), noise (S,C,H,W) -> (H,W)."""
    g = input_grads(model, x1[None] + noise, [c] * noise.shape[0])
    per = (g * g).sum(dim=1) if squared else g.abs().sum(dim=1)
    return per.mean(dim=0)


def quadrature(name, n):
    """Captum's approximation_methods: (alphas, step sizes)."""
    if name == "riemann_trapezoid":
        alphas = np.linspace(0, 1, n)
        weights = np.array([1 / (2 * (n - 1))] + [1 / (n - 1)] * (n - 2) + [1 / (2 * (n - 1))])
    elif name == "gauss_legendre":
        nodes, w = np.polynomial.legendre.leggauss(n)
        alphas, weights = 0.5 * (1 + nodes), 0.5 * w
    elif name == "riemann_left":
        alphas, weights = np.linspace(0, 1 - 1 / n, n), np.full(n, 1 / n)
    elif name == "riemann_right":
        alphas, weights = np.linspace(1 / n, 1, n), np.full(n, 1 / n)
    elif name == "riemann_middle":
        alphas, weights = np.linspace(1 / (2 * n), 1 - 1 / (2 * n), n), np.full(n, 1 / n)
    else:
        raise ValueError(name)
    return alphas, weights


def black(x1, mean, std):
    c = x1.shape[0]
    return torch.stack([torch.full(x1.shape[1:], (0 - mean[min(k, len(mean) - 1)]) / std[min(k, len(std) - 1)])
                        for k in range(c)]).to(x1.dtype)


def blurred(x1):
    c, h, w = x1.shape
    sigma = min(h, w) / 10
    r = math.ceil(3 * sigma)
    d = torch.arange(-r, r + 1, dtype=torch.float64)
    k = torch.exp(-d * d / (2 * sigma * sigma))
    k = k / k.sum()
    v = x1.double()[:, None]  # (C,1,H,W): each channel on its own
    v = F.conv2d(F.pad(v, (r, r, 0, 0), mode="replicate"), k.view(1, 1, 1, -1))
    v = F.conv2d(F.pad(v, (0, 0, r, r), mode="replicate"), k.view(1, 1, -1, 1))
    return v[:, 0].to(x1.dtype)


def baseline_of(name, x1, pre):
    if name == "mean":
        return torch.zeros_like(x1)
    if name == "black":
        return black(x1, pre["mean"], pre["std"])
    if name == "blurred":
        return blurred(x1)
    raise ValueError(name)


def integrated_gradients(model, x1, c, base, quad, steps):
    alphas, weights = quadrature(quad, steps)
    points = torch.cat([base[None] + float(a) * (x1 - base)[None] for a in alphas])
    g = input_grads(model, points, [c] * steps)
    integral = (g.double() * torch.as_tensor(weights)[:, None, None, None]).sum(dim=0)
    attr = ((x1 - base).double() * integral).to(x1.dtype)
    ends = logits(model, torch.stack([x1, base]))
    delta = float(ends[0, c]) - float(ends[1, c])
    return attr.sum(dim=0), float(attr.double().sum()), delta


def positions(size, window, stride):
    w = min(window, size)
    out = list(range(0, size - w + 1, stride))
    if out[-1] != size - w:
        out.append(size - w)
    return out


def occlusion(model, x1, c, window, stride, fill):
    """fill: one value per channel."""
    _, h, w = x1.shape
    wx, wy = min(window, w), min(window, h)
    copies = []
    boxes = []
    for y0 in positions(h, wy, stride):
        for x0 in positions(w, wx, stride):
            o = x1.clone()
            for ch in range(x1.shape[0]):
                o[ch, y0:y0 + wy, x0:x0 + wx] = fill[ch]
            copies.append(o)
            boxes.append((y0, x0))
    base = float(logits(model, x1[None])[0, c])
    scores = torch.cat([logits(model, torch.stack(copies[i:i + 64])) for i in range(0, len(copies), 64)])[:, c]
    total = torch.zeros(h, w, dtype=torch.float64)
    count = torch.zeros(h, w, dtype=torch.float64)
    for (y0, x0), s in zip(boxes, scores.tolist()):
        total[y0:y0 + wy, x0:x0 + wx] += base - s
        count[y0:y0 + wy, x0:x0 + wx] += 1
    assert bool((count > 0).all()), "a pixel no window covers"
    return (total / count).to(x1.dtype)


def case_maps(model, x, case, noise, pre):
    """The raw maps (N,H,W) of one case, in the dtype of model and x; fills in the case's IG sums."""
    method, settings, classes, n_images = case["method"], case["settings"], case["classes"], x.shape[0]
    if method == "inputxgrad":
        return input_x_gradient(model, x, classes)
    if method == "smoothgrad":
        case["noise"] = "smoothgrad_noise.npy"
        return torch.stack([smoothgrad(model, x[i], classes[i], noise[i], settings["squared"])
                            for i in range(n_images)])
    if method == "occlusion":
        fill = [0.0] * x.shape[1] if settings["fill"] == "mean" else black(x[0], pre["mean"], pre["std"])[:, 0, 0].tolist()
        return torch.stack([occlusion(model, x[i], classes[i], settings["window"], settings["stride"], fill)
                            for i in range(n_images)])
    if method == "ig":
        results = [integrated_gradients(model, x[i], classes[i], baseline_of(settings["baseline"], x[i], pre),
                                        settings["quadrature"], settings["steps"]) for i in range(n_images)]
        case["sumAttributions"] = [r[1] for r in results]
        case["deltaLogit"] = [r[2] for r in results]
        case["relativeGap"] = [abs(r[1] - r[2]) / max(abs(r[2]), 1e-12) for r in results]
        return torch.stack([r[0] for r in results])
    raise ValueError(method)


def write_float64(model_id):
    """The float64 evaluation of every case already written (same inputs, classes and saved noise), next to each map
    as <file>.f64.npy (rounded to float32 when saved), for the parity rule's fallback (ParityRule.java)."""
    out = ROOT / "src/test/resources/parity-methods" / model_id / "gradient"
    doc = json.loads((out / "cases.json").read_text())
    pre = json.loads((ROOT / "models" / model_id / "manifest.json").read_text())["preprocessing"]
    model = eager_model(model_id).double()
    x = torch.from_numpy(np.load(out / "input.npy")).double()
    noise = torch.from_numpy(np.load(out / "smoothgrad_noise.npy")).double()
    for case in doc["cases"]:
        maps = case_maps(model, x, dict(case), noise, pre)
        f32 = np.load(out / case["file"])
        f64 = out / case["file"].replace(".npy", ".f64.npy")
        np.save(f64, maps.numpy().astype(np.float32))
        span = float(maps.max() - maps.min())
        print(f"  {f64.name}: float32 reference off float64 by {np.abs(f32 - maps.numpy()).max() / span:.2g} of the range")


# ----------------------------------------------------------------------------------------------------- main
def write(model_id):
    n_images, samples = MODELS[model_id][1], MODELS[model_id][2]
    manifest = json.loads((ROOT / "models" / model_id / "manifest.json").read_text())
    pre = manifest["preprocessing"]
    x = torch.from_numpy(np.load(ROOT / "src/test/resources/parity" / model_id / "input.npy"))[:n_images]
    model = eager_model(model_id)
    out = ROOT / "src/test/resources/parity-methods" / model_id / "gradient"
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "input.npy", x.numpy().astype(np.float32))
    lg = logits(model, x)
    top1 = lg.argmax(dim=1).tolist()
    runner_up = lg.argsort(dim=1, descending=True)[:, 1].tolist()
    _, h, w = x.shape[1:]
    win = max(1, min(w, h) // 8)
    default_occ = {"window": win, "stride": max(1, win // 2), "fill": "mean"}
    other_occ = {"window": win + 2, "stride": win + 1 if win > 3 else 3, "fill": "black"}

    gen = torch.Generator().manual_seed(SMOOTHGRAD_SEED)
    noise = torch.stack([
        torch.randn((samples,) + tuple(x.shape[1:]), generator=gen) * SMOOTHGRAD_SIGMA * float(x[i].max() - x[i].min())
        for i in range(n_images)])
    np.save(out / "smoothgrad_noise.npy", noise.numpy().astype(np.float32))

    specs = [("inputxgrad", {}, "top1"), ("inputxgrad", {}, "runnerUp")]
    for base in ("mean", "black", "blurred"):
        specs.append(("ig", {"baseline": base, "steps": 50, "quadrature": "gauss_legendre"}, "top1"))
    specs.append(("ig", {"baseline": "mean", "steps": 50, "quadrature": "riemann_trapezoid"}, "top1"))
    specs.append(("ig", {"baseline": "black", "steps": 20, "quadrature": "riemann_trapezoid"}, "runnerUp"))
    specs.append(("ig", {"baseline": "mean", "steps": 50, "quadrature": "gauss_legendre"}, "runnerUp"))
    specs.append(("occlusion", default_occ, "top1"))
    specs.append(("occlusion", other_occ, "runnerUp"))
    specs.append(("smoothgrad", {"sigma": SMOOTHGRAD_SIGMA, "samples": samples, "squared": False}, "top1"))
    specs.append(("smoothgrad", {"sigma": SMOOTHGRAD_SIGMA, "samples": samples, "squared": True}, "runnerUp"))

    cases = []
    for k, (method, settings, which) in enumerate(specs):
        classes = top1 if which == "top1" else runner_up
        case = {"method": method, "settings": settings, "classes": classes, "classesGiven": which != "top1",
                "file": f"{method}_{k}.npy"}
        maps = case_maps(model, x, case, noise, pre)
        case["rawMin"] = maps.flatten(1).min(dim=1).values.tolist()
        case["rawMax"] = maps.flatten(1).max(dim=1).values.tolist()
        np.save(out / case["file"], maps.numpy().astype(np.float32))
        cases.append(case)
    doc = {"model": model_id, "input": "input.npy", "threads": 2, "torch": torch.__version__,
           "images": manifest["provenance"]["fixtures"]["images"][:n_images], "cases": cases}
    (out / "cases.json").write_text(json.dumps(doc, indent=2) + "\n")
    print(model_id, "->", out)
    for c in cases:
        extra = f" gap {max(c['relativeGap']):.2e}" if "relativeGap" in c else ""
        print(f"  {c['file']}: {c['method']} {c['settings']} classes {c['classes']}{extra}")


if __name__ == "__main__":
    float64 = "--float64" in sys.argv
    for mid in ([a for a in sys.argv[1:] if a != "--float64"] or MODELS):
        (write_float64 if float64 else write)(mid)
