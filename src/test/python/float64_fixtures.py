#!/usr/bin/python3
"""Float64 evaluations of the default models' parity fixtures, for the float64 fallback of the parity rule
(ParityRule.java, docs/methods.md#the-parity-rule).

    /usr/bin/python3 src/test/python/float64_fixtures.py [model-id ...]

For src/test/resources/parity/<model-id>/ (written by the export tool's hook reference, models/tools/reference.py):
the same hook reference on the eager network in float64 (trained weights from models/tools/weights/<id>.pt, see
models/tools/refold_defaults.py), same inputs and classes, one <file>.f64.npy next to every map file, its values
rounded to float32 when saved (1e-7 relative: far below the errors the rule weighs). cases.json is not touched.

Why: the default models are folded, channels-last exports run by libtorch 2.7; the fixtures come from eager
float32 PyTorch 1.13. Where a ReLU input lies within rounding of zero the two take different gradient branches and
a saliency map moves by ~1e-3 over one unit's receptive field; the float64 evaluation says which side is closer.
The gradient-family fixtures have the same from `reference_gradient.py --float64`, the library ones from
`library_fixtures.py ... --float64`.
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "models" / "tools"))

import reference  # noqa: E402
import refold_defaults  # noqa: E402


def write(model_id: str) -> None:
    fixture = ROOT / "src/test/resources/parity" / model_id
    doc = json.loads((fixture / "cases.json").read_text())
    taps = {name: tap for tap in json.loads((ROOT / "models" / model_id / "manifest.json").read_text())["taps"]
            for name in tap["names"]}
    model = refold_defaults.eager_net(model_id, ROOT / "models" / model_id).double()
    x = torch.from_numpy(np.load(fixture / doc["input"])).double()
    for case in doc["cases"]:
        ref = reference.hook_reference(model, x, case["layer"], case["classes"],
                                       reference.reshape_transform_for(model, taps[case["layer"]]))
        assert ref["classes"] == case["classes"], f"{model_id} {case['layer']}: float64 classes {ref['classes']}"
        maps = {"saliency": ref["saliency"]["norm"], "gradcam": ref["gradcam"]["norm"],
                "gradcamLayer": ref["gradcam"]["layer"]}
        for key, values in maps.items():
            name = case["files"][key]
            f64 = fixture / name.replace(".npy", ".f64.npy")
            np.save(f64, values.detach().numpy().astype(np.float32))
            off = np.abs(np.load(fixture / name) - values.detach().numpy()).max()
            print(f"{model_id} {case['layer']} {f64.name}: float32 reference off float64 by {off:.2g}")


if __name__ == "__main__":
    torch.set_num_threads(2)
    for mid in sys.argv[1:] or ("shapes", "fashion-mnist"):
        write(mid)
