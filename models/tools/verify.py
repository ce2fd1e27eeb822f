"""Verification of an exported package: the saved TorchScript against the eager model (see README.md)."""
import copy
import json
from pathlib import Path
from typing import Dict, List

import torch
from torch import Tensor

import reference
import taps as taps_mod

EXTRA_FILE = "saliency_studio.json"


class VerificationError(RuntimeError):
    """The saved TorchScript disagrees with the eager model: no package is written."""


def tap_by_name(taps: List[dict]) -> Dict[str, dict]:
    return {name: tap for tap in taps for name in tap["names"]}


def _max_abs(a: Tensor, b: Tensor) -> float:
    return float((a - b).abs().max()) if a.numel() else 0.0


def check_tap_names(model, gm, tap_nodes, taps, x, tolerance) -> float:
    """Every tap name: the traced graph's value at its node equals what the eager module returned (one pass each)."""
    names = [n for t in taps for n in t["names"]]
    eager = reference.collect_activations(model, x, names)
    traced = taps_mod.node_outputs(gm, x, tap_nodes)
    worst = 0.0
    for tap, value in zip(taps, traced):
        for name in tap["names"]:
            if name not in eager:
                raise VerificationError(f"eager hook never saw {name}")
            d = _max_abs(value, eager[name]) / max(1.0, float(eager[name].abs().max()))
            worst = max(worst, d)
            if d > tolerance:
                raise VerificationError(f"tap {tap['index']} ({name}): traced value differs from the eager module "
                                        f"output by {d:.3g} (relative)")
    return worst


def _tap_sample(taps, layers_idx, limit):
    if limit is None or limit >= len(taps):
        return list(range(len(taps)))
    step = (len(taps) - 1) / max(1, limit - 1)
    picked = {round(i * step) for i in range(limit)} | set(layers_idx)
    return sorted(picked)


def check_scripted_taps(model, loaded, x, taps, indices, reference_logits, tolerance) -> float:
    """forward_tap at each index: output shape as in the manifest, logits unchanged by a zero probe, and the
    activation it returns equal to the eager module's output (folded BatchNorms must give back the conv output);
    at a cut tap, forward_from on that activation gives the same logits."""
    x1 = x[:1]
    worst = 0.0
    scale = max(1.0, float(reference_logits[:1].abs().max()))
    eager = reference.collect_activations(model, x1, [taps[i]["names"][0] for i in indices])
    with torch.no_grad():
        for i in indices:
            tap = taps[i]
            logits, act = loaded.forward_tap(x1, torch.tensor(i, dtype=torch.long), torch.zeros([1] + tap["shape"]))
            if list(act.shape) != [1] + tap["shape"]:
                raise VerificationError(f"tap {i} {tap['names']}: forward_tap returned {list(act.shape)}")
            d = _max_abs(logits, reference_logits[:1]) / scale
            worst = max(worst, d)
            if d > tolerance:
                raise VerificationError(f"tap {i}: logits with a zero probe differ by {d:.3g} (relative)")
            if tap.get("cut"):
                tail = loaded.forward_from(torch.tensor(i, dtype=torch.long), act)
                t = _max_abs(tail, logits) / scale
                if t > tolerance:
                    raise VerificationError(f"tap {i}: forward_from gives logits {t:.3g} (relative) off forward_tap's")
            want = eager[tap["names"][0]]
            a = _max_abs(act, want) / max(1.0, float(want.abs().max()))
            if a > tolerance:
                raise VerificationError(f"tap {i} {tap['names'][0]}: the scripted activation differs from the eager "
                                        f"module's output by {a:.3g} (relative)")
    return worst


def _map_diffs(got, ref):
    sal = _max_abs(got["saliency"]["norm"], ref["saliency"]["norm"])
    cam = max(_max_abs(got["gradcam"]["norm"], ref["gradcam"]["norm"]),
              _max_abs(got["gradcam"]["layer"], ref["gradcam"]["layer"]))
    return sal, cam


def _float64_module(pt_path, exact64):
    """The saved module in float64, with folded weights set to their exact float64 values (fold.FoldResult.exact):
    the float32-rounded products W * scale are a slightly different function, and in float64 a ReLU input within
    1e-7 of zero then takes the other branch (random inception_v3 and wide_resnet50_2: 0.005 in a saliency map)."""
    loaded64 = torch.jit.load(str(pt_path)).double().eval()
    if exact64:
        named = dict(loaded64.named_parameters())
        named.update(dict(loaded64.named_buffers()))
        with torch.no_grad():
            for name, value in exact64.items():
                if name not in named:
                    raise VerificationError(f"saved module has no {name} to set for the float64 judgement")
                saved, value = named[name], value.reshape(named[name].shape).double()
                # The saved float32 value must be the rounding of the exact one, else the fold itself is wrong.
                if not torch.allclose(saved, value, rtol=2.0 ** -22, atol=1e-30):
                    d = float((saved - value).abs().max())
                    raise VerificationError(f"folded {name} is not the float32 rounding of the exact fold "
                                            f"(off by up to {d:.3g}): a wrong BatchNorm fold")
                saved.copy_(value)
    return loaded64


def _float64_judged(model, pt_path, x, layer, tap, classes, tolerance, exact64=None):
    """Raises unless the saved module, run in float64, gives the eager model's float64 maps within tolerance.

    A folded or channels-last export rounds differently from the eager model. Where a ReLU input lies within
    rounding of zero, the two float32 runs take different gradient branches, and a patch of a normalised saliency map
    (the input receptive field of that unit) moves by up to ~1e-2: measured on densenet121 (1,567 of 301,056 values,
    one 27x27 patch), random ResNet-18 and the trained shapes model, each time on a different side (eager float32,
    the folded or the channels-last export). Comparing float32 maps is the wrong test there. In float64 such ties do
    not arise, so the saved graph run in float64 must match the eager model run in float64: the same function,
    which a wrong fold or layout is not (it fails everywhere, by far more).
    """
    model64 = copy.deepcopy(model).double()
    ref64 = reference.hook_reference(model64, x.double(), layer, classes,
                                     reference.reshape_transform_for(model64, tap))
    loaded64 = _float64_module(pt_path, exact64)
    got64 = reference.probe_route(loaded64, x.double(), tap["index"], tap["shape"], classes, tap)
    sal, cam = _map_diffs(got64, ref64)
    if sal > tolerance:
        raise VerificationError(f"saliency via forward_tap at {layer}, run in float64, differs from the float64 hook "
                                f"reference by {sal:.3g}")
    if cam > tolerance:
        raise VerificationError(f"Grad-CAM via forward_tap at {layer}, run in float64, differs from the float64 hook "
                                f"reference by {cam:.3g}")


def verify(model, pt_path, x, taps, layers, tolerance, tap_check_limit=16, always_check=(), folded=False,
           exact64=None) -> dict:
    """Loads the saved file and compares it against the eager model. Raises VerificationError on disagreement.

    `folded`: BatchNorms were folded or the layout changed, so float32 maps may take other gradient branches than
    eager float32 at a few pixels (see _float64_judged).
    """
    loaded = torch.jit.load(str(pt_path))
    loaded.eval()
    for method in ("forward", "forward_tap"):
        if not hasattr(loaded, method):
            raise VerificationError(f"saved module has no method {method}")
    if not any(True for _ in loaded.parameters()):
        raise VerificationError("saved module exposes no parameters (frozen?)")
    with torch.no_grad():
        eager = model(x)
        fwd = loaded(x)
        tap_logits, tap_act = loaded.forward_tap(x, torch.tensor(-1, dtype=torch.long), torch.zeros(0))
    scale = max(1.0, float(eager.abs().max()))
    logit_abs = max(_max_abs(fwd, eager), _max_abs(tap_logits, eager))
    if logit_abs / scale > tolerance:
        raise VerificationError(f"logits differ: max abs {logit_abs:.3g} on values up to {scale:.3g}")
    if _max_abs(tap_act, x) != 0.0:
        raise VerificationError("forward_tap with tap=-1 must return the input as its second output")

    by_name = tap_by_name(taps)
    sal_diff = cam_diff = 0.0
    float64_judged = []
    for layer in layers:
        tap = by_name[layer]
        ref = reference.hook_reference(model, x, layer, None, reference.reshape_transform_for(model, tap))
        got = reference.probe_route(loaded, x, tap["index"], tap["shape"], ref["classes"], tap)
        sal, cam = _map_diffs(got, ref)
        if max(sal, cam) > tolerance:
            if not folded:
                what, d = ("saliency", sal) if sal > tolerance else ("Grad-CAM", cam)
                raise VerificationError(f"{what} via forward_tap at {layer} differs from the hook reference by {d:.3g}")
            _float64_judged(model, pt_path, x, layer, tap, ref["classes"], tolerance, exact64)
            float64_judged.append(layer)
        sal_diff, cam_diff = max(sal_diff, sal), max(cam_diff, cam)

    result = {
        "maxAbsLogitDiff": logit_abs,
        "maxAbsGradCamDiff": cam_diff,
        "maxAbsSaliencyDiff": sal_diff,
        "maxRelLogitDiff": logit_abs / scale,
        "layers": list(layers),
        "samples": int(x.shape[0]),
        "threads": torch.get_num_threads(),
        "tolerance": tolerance,
        "float64Judged": float64_judged,
        "_forward": fwd,
    }
    indices = _tap_sample(taps, [by_name[layer]["index"] for layer in layers] + list(always_check), tap_check_limit)
    check_scripted_taps(model, loaded, x, taps, indices, eager, tolerance)
    result["tapsRunScripted"] = len(indices)
    return result


def check_resaved(pt_path: Path, manifest: dict, x: Tensor, verified_logits: Tensor, tolerance: float) -> None:
    """The final save only adds the verification numbers to the extra file: check it loads and computes the same."""
    files = {EXTRA_FILE: ""}
    loaded = torch.jit.load(str(pt_path), _extra_files=files)
    if json.loads(files[EXTRA_FILE]) != json.loads(json.dumps(manifest)):
        raise VerificationError("embedded manifest does not round-trip")
    with torch.no_grad():
        d = _max_abs(loaded(x), verified_logits) / max(1.0, float(verified_logits.abs().max()))
    if d > tolerance:
        raise VerificationError(f"re-saved module computes different logits ({d:.3g} relative)")
