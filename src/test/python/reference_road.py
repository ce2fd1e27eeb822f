"""ROAD fixtures (Rong et al. 2022, "A Consistent and Efficient Evaluation Strategy for Attribution Methods"), made
by pytorch-grad-cam's own noisy linear imputer (noise 0, so the result is deterministic) and its own percentile
masks (RemoveMostRelevantFirst / RemoveLeastRelevantFirst), for the Java parity test RoadParityTest.

    /usr/bin/python3 src/test/python/reference_road.py /path/to/pytorch-grad-cam [OUT_DIR]

The path is a checkout of https://github.com/jacobgil/pytorch-grad-cam (read, not vendored); needs python3-scipy.
cv2 is only imported by the library for Otsu thresholds, which ROAD's percentile masks do not use: a stub stands in,
and the package's __init__ (which imports ttach and every CAM) is bypassed.
Writes to src/test/resources/road: input.npy (3, 20, 24) float32, map.npy (20, 24) float32 with ties and a plateau,
and for each removal fraction f in FRACTIONS, morf-<f>.npy and lerf-<f>.npy (the imputed inputs), removed-*.npy
(the masks), and cases.json.
"""
import json
import sys
import types
from pathlib import Path

import numpy as np
import torch

FRACTIONS = [0.1, 0.3, 0.5, 0.7, 0.9]


def main(argv):
    library = Path(argv[1]).resolve()
    out = Path(argv[2]) if len(argv) > 2 else Path(__file__).resolve().parents[1] / "resources" / "road"
    sys.modules.setdefault("cv2", types.ModuleType("cv2"))
    # The package's __init__ imports every CAM (and ttach, tqdm...); ROAD needs only two modules: empty packages
    # with the right paths let those two import without it.
    for name, folder in (("pytorch_grad_cam", library / "pytorch_grad_cam"),
                         ("pytorch_grad_cam.metrics", library / "pytorch_grad_cam" / "metrics")):
        package = types.ModuleType(name)
        package.__path__ = [str(folder)]
        sys.modules[name] = package
    from pytorch_grad_cam.metrics.perturbation_confidence import RemoveLeastRelevantFirst, RemoveMostRelevantFirst
    from pytorch_grad_cam.metrics.road import NoisyLinearImputer

    gen = np.random.default_rng(7)
    h, w = 20, 24
    x = gen.normal(size=(3, h, w)).astype(np.float32)
    # A smooth bump plus noise, rounded so that values tie; a plateau of equal top values in one corner.
    yy, xx = np.mgrid[0:h, 0:w]
    cam = np.exp(-((yy - 7.0) ** 2 + (xx - 15.0) ** 2) / 40.0) + 0.1 * gen.random((h, w))
    cam = np.round(cam / cam.max(), 2).astype(np.float32)
    cam[0:2, 0:3] = cam.max()
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / "input.npy", x)
    np.save(out / "map.npy", cam)
    imputer = NoisyLinearImputer(noise=0.0)
    cases = []
    for f in FRACTIONS:
        # pytorch-grad-cam's percentile p keeps the pixels below the p-th percentile: removal fraction 1 - p / 100.
        p = round(100 * (1 - f))
        for kind, cls in (("morf", RemoveMostRelevantFirst), ("lerf", RemoveLeastRelevantFirst)):
            captured = {}

            def spy(img, mask, captured=captured):
                captured["kept"] = mask.numpy().copy()
                return imputer(img, mask)
            imputed = cls(p, spy)(torch.from_numpy(x), torch.from_numpy(cam)).numpy().astype(np.float32)
            removed = (captured["kept"] < 0.5).astype(np.float32)  # 1 = removed
            name = f"{kind}-{f:.1f}"
            np.save(out / f"{name}.npy", imputed)
            np.save(out / f"removed-{name}.npy", removed)
            cases.append({"kind": kind, "fraction": f, "percentile": p, "imputed": f"{name}.npy",
                          "removed": f"removed-{name}.npy", "removedCount": int(removed.sum())})
    (out / "cases.json").write_text(json.dumps({
        "library": "pytorch-grad-cam " + _version(library), "noise": 0.0, "input": "input.npy", "map": "map.npy",
        "cases": cases}, indent=2) + "\n")
    print(f"wrote {len(cases)} cases to {out}")


def _version(library: Path) -> str:
    """The library's version from its setup.py (a checkout or an archive of one)."""
    import re
    setup = library / "setup.py"
    found = re.search(r"version\s*=\s*['\"]([^'\"]+)", setup.read_text()) if setup.exists() else None
    return found.group(1) if found else "(unknown version)"


if __name__ == "__main__":
    main(sys.argv)
