"""Reference deletion / insertion curves (RISE, Petsiuk et al. 2018) and average drop (Chattopadhay et al. 2018),
written from the papers and the RISE code's `CausalMetric`, for the Java `FaithfulnessMetrics` parity test.

Protocol (the one the engine documents; RISE's own choices are noted where they differ):
- pixels ranked by the saved map, highest first, ties in pixel-index order (a stable sort; RISE's
  `np.flip(np.argsort(...))` breaks ties in reverse and unstably);
- deletion: ranked pixels (all channels) set to 0 in normalised space, i.e. the mean colour (RISE: zeros);
- insertion: start from a Gaussian blur of the input (separable, sigma = 5 * width / 224, kernel truncated at
  ceil(3 sigma), replicate padding; RISE: an 11-tap 2-D kernel of sigma 5 with zero padding), copy pixels in;
- `step` pixels per step (the engine's default is the input width; the fixture uses 480), the score before the first step and after each step;
- score = softmax probability of the target class; AUC = trapezoid over the fraction of pixels changed (RISE assumes
  equal spacing, the same when the step divides the pixel count);
- average drop: O = score of input * map (the saved map as the [0, 1] mask, every channel, normalised space),
  Y = score of the input, drop = max(0, Y - O) / Y, increase = O > Y.

Usage (from the repository root):
  /usr/bin/python3 src/test/python/reference_metrics.py
writes src/test/resources/parity-methods/shapes/metrics/cases.json for the Grad-CAM and saliency fixture maps of
src/test/resources/parity/shapes/ (case 0: the top-1 classes at layer4).
"""
import argparse
import json
import math
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F


def gaussian_blur(img: torch.Tensor, sigma: float) -> torch.Tensor:
    """img (1, C, H, W); separable Gaussian, each channel on its own, edges replicated."""
    radius = int(math.ceil(3 * sigma))
    xs = torch.arange(-radius, radius + 1, dtype=torch.float64)
    k = torch.exp(-xs * xs / (2 * sigma * sigma))
    k = k / k.sum()
    c = img.shape[1]
    x = img.double()
    x = F.pad(x, (radius, radius, 0, 0), mode="replicate")
    x = F.conv2d(x, k.view(1, 1, 1, -1).repeat(c, 1, 1, 1), groups=c)
    x = F.pad(x, (0, 0, radius, radius), mode="replicate")
    x = F.conv2d(x, k.view(1, 1, -1, 1).repeat(c, 1, 1, 1), groups=c)
    return x.float()


def scores(model, batch: torch.Tensor, target: int) -> np.ndarray:
    with torch.no_grad():
        logits = model(batch).double()
    return torch.softmax(logits, dim=1)[:, target].numpy()


def causal_curve(model, start: torch.Tensor, finish: torch.Tensor, order: np.ndarray, step: int, target: int):
    """RISE's CausalMetric.single_run: score, then move `step` ranked pixels from `finish` into `start`, repeat."""
    _, c, h, w = start.shape
    n = h * w
    n_steps = (n + step - 1) // step
    images = []
    cur = start.clone().view(1, c, n)
    fin = finish.view(1, c, n)
    for i in range(n_steps + 1):
        images.append(cur.view(1, c, h, w).clone())
        if i < n_steps:
            idx = torch.from_numpy(order[step * i: step * (i + 1)].copy())
            cur[0, :, idx] = fin[0, :, idx]
    out = np.concatenate([scores(model, torch.cat(images[j:j + 32]), target) for j in range(0, len(images), 32)])
    fractions = np.minimum(np.arange(n_steps + 1) * step, n) / n
    return fractions, out


def evaluate(model, x: torch.Tensor, saliency_map: np.ndarray, target: int, step: int):
    _, c, h, w = x.shape
    order = np.argsort(-saliency_map.reshape(-1).astype(np.float32), kind="stable")
    sigma = max(1.0, 5.0 * w / 224.0)
    fr, deletion = causal_curve(model, x, torch.zeros_like(x), order, step, target)
    _, insertion = causal_curve(model, gaussian_blur(x, sigma), x, order, step, target)
    mask = torch.from_numpy(np.clip(saliency_map, 0, 1).astype(np.float32))
    y = scores(model, x, target)[0]
    o = scores(model, x * mask[None, None], target)[0]
    return {
        "target": target,
        "fractions": fr.tolist(),
        "deletion": deletion.tolist(),
        "insertion": insertion.tolist(),
        "deletionAuc": float(np.trapz(deletion, fr)),
        "insertionAuc": float(np.trapz(insertion, fr)),
        "originalScore": float(y),
        "maskedScore": float(o),
        "averageDrop": float(max(0.0, y - o) / y),
        "increase": bool(o > y),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="models/shapes/model.pt")
    ap.add_argument("--parity", default="src/test/resources/parity/shapes")
    ap.add_argument("--out", default="src/test/resources/parity-methods/shapes/metrics")
    ap.add_argument("--images", type=int, default=2, help="how many of the fixture's images")
    ap.add_argument("--step", type=int, default=480,
                    help="pixels per step; 480 does not divide 96x96, so the last step is a partial one (and the "
                         "Java test stays fast); RISE's own is the width")
    args = ap.parse_args()
    torch.set_num_threads(2)
    model = torch.jit.load(args.model).eval()
    parity = Path(args.parity)
    cases_in = json.loads((parity / "cases.json").read_text())
    first = cases_in["cases"][0]
    inputs = np.load(parity / cases_in["input"])
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    cases = []
    for method, key in (("gradcam", "gradcam"), ("saliency", "saliency")):
        maps = np.load(parity / first["files"][key])
        for i in range(args.images):
            x = torch.from_numpy(inputs[i:i + 1].copy())
            step = args.step
            r = evaluate(model, x, maps[i], int(first["classes"][i]), step)
            r.update({"method": method, "map": str(Path("..", "..", "..", "parity", "shapes", first["files"][key])),
                      "image": i, "pixelsPerStep": step})
            cases.append(r)
            print(f"{method} image {i} class {r['target']}: deletion {r['deletionAuc']:.4f} "
                  f"insertion {r['insertionAuc']:.4f} drop {r['averageDrop']:.4f}")
    meta = {"torch": torch.__version__, "threads": 2, "model": args.model, "input": "../../../parity/shapes/input.npy",
            "protocol": "RISE deletion (substrate 0 = mean colour) / insertion (blur sigma 5*W/224, replicate), "
                        "stable ranking, softmax probability, trapezoid AUC; average drop with the map as mask",
            "cases": cases}
    (out_dir / "cases.json").write_text(json.dumps(meta, indent=1))


if __name__ == "__main__":
    main()
