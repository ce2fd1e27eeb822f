"""Saliency and Grad-CAM as defined in /work/shared/notes/methods.md, computed two ways:

- `hook_reference`: the classic route on the eager model (forward hook on the module, tensor hook for its gradient);
- `probe_route`: what the Java engine does with the exported TorchScript (`forward_tap` with a zero probe).

Both use one backward pass of sum_n logits[n, c_n] (pre-softmax logits; c_n defaults to the top-1 class).
"""
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def split_name(name: str):
    """'layer4.1.relu#2' -> ('layer4.1.relu', 2)."""
    if "#" in name:
        path, k = name.rsplit("#", 1)
        return path, int(k)
    return name, 1


def saliency_maps(x_grad: Tensor) -> Dict[str, Tensor]:
    """S = sum_ch |d score / d x|, then (S - min) / (max - min + 1e-8) per image."""
    s = x_grad.abs().sum(dim=1)
    flat = s.flatten(1)
    lo, hi = flat.min(dim=1).values, flat.max(dim=1).values
    norm = (s - lo[:, None, None]) / (hi - lo + 1e-8)[:, None, None]
    return {"raw": s, "min": lo, "max": hi, "norm": norm}


def gradcam_maps(act: Tensor, grad: Tensor, size) -> Dict[str, Tensor]:
    """alpha_k = spatial mean of dA_k; L = ReLU(sum_k alpha_k A_k); L -= min; L /= max(L.max, 1e-8); bilinear up."""
    alpha = grad.mean(dim=(2, 3), keepdim=True)
    cam = torch.relu((alpha * act).sum(dim=1))
    flat = cam.flatten(1)
    lo, hi = flat.min(dim=1).values, flat.max(dim=1).values
    norm = cam - lo[:, None, None]
    norm = norm / torch.clamp(norm.flatten(1).max(dim=1).values, min=1e-8)[:, None, None]
    up = F.interpolate(norm[:, None], size=tuple(size), mode="bilinear", align_corners=False)[:, 0]
    return {"raw": cam, "min": lo, "max": hi, "layer": norm, "norm": up}


def channels_first(t: Tensor, tap: Optional[dict]) -> Tensor:
    """The tap's tensor as (N, C, h, w) by the manifest's layout, the way pytorch-grad-cam's `reshape_transform`
    examples do it (tokens: drop the prefix tokens, reshape to the grid, channels first)."""
    layout = (tap or {}).get("layout", "NCHW")
    if layout == "NCHW":
        return t
    if layout == "NHWC":
        return t.transpose(2, 3).transpose(1, 2)
    if layout == "tokens" and tap.get("grid"):
        h, w = tap["grid"]
        k = int(tap.get("prefixTokens") or 0)
        return t[:, k:, :].reshape(t.size(0), h, w, t.size(2)).transpose(2, 3).transpose(1, 2)
    raise ValueError(f"tap {tap.get('names')} ({layout}, grid {tap.get('grid')}) has no spatial map")


def reshape_transform_for(model: nn.Module, tap: Optional[dict]):
    """The reference's reshape for a tap, written as pytorch-grad-cam's examples write it and, for torchvision's
    ViT, from the model's own attributes rather than from the manifest (so the manifest's prefix and grid are
    checked, not just reused). None for NCHW."""
    layout = (tap or {}).get("layout", "NCHW")
    if layout == "NCHW":
        return None
    try:
        from torchvision.models import VisionTransformer
    except ImportError:  # pragma: no cover
        VisionTransformer = ()
    if layout == "tokens" and isinstance(model, VisionTransformer):
        side = model.image_size // model.patch_size

        def vit(tensor, height=side, width=side):
            result = tensor[:, 1:, :].reshape(tensor.size(0), height, width, tensor.size(2))
            return result.transpose(2, 3).transpose(1, 2)
        return vit
    if layout == "NHWC":
        def swin(tensor):  # torchvision's Swin stages are already (N, H, W, C): channels first
            result = tensor.reshape(tensor.size(0), tensor.size(1), tensor.size(2), tensor.size(3))
            return result.transpose(2, 3).transpose(1, 2)
        return swin
    return lambda tensor: channels_first(tensor, tap)


def _score(logits: Tensor, classes: Optional[Sequence[int]]) -> (Tensor, List[int]):
    if classes is None:
        classes = logits.argmax(dim=1).tolist()
    classes = [int(c) for c in classes]
    if len(classes) != logits.shape[0]:
        raise ValueError(f"{len(classes)} target classes for a batch of {logits.shape[0]}")
    idx = torch.tensor(classes, dtype=torch.long)
    return logits.gather(1, idx[:, None]).sum(), classes


class _FrozenParams:
    """Parameter gradients are not needed for either map; skipping them saves time (the Java engine does too)."""

    def __init__(self, module):
        self.module = module

    def __enter__(self):
        self.saved = [(p, p.requires_grad) for p in self.module.parameters()]
        for p, _ in self.saved:
            p.requires_grad_(False)

    def __exit__(self, *exc):
        for p, flag in self.saved:
            p.requires_grad_(flag)


def hook_reference(model: nn.Module, x: Tensor, layer: str, classes=None, reshape_transform=None) -> Dict[str, object]:
    """Saliency and Grad-CAM at `layer` (module path, `path#k` = k-th call) on the eager model, with hooks.

    `reshape_transform` (as in pytorch-grad-cam) turns the layer's activation and gradient into (N, C, h, w)."""
    path, want = split_name(layer)
    module = dict(model.named_modules()).get(path)
    if module is None:
        raise KeyError(f"no module named {path!r}")
    state = {"calls": 0}

    def fwd_hook(_m, _inp, out):
        state["calls"] += 1
        if state["calls"] != want:
            return None
        if not isinstance(out, Tensor):
            raise TypeError(f"{layer} does not return a tensor")
        state["act"] = out
        out.register_hook(lambda g: state.__setitem__("grad", g))
        # Downstream code may modify the output in place (EfficientNet's `result += input`, DenseNet's
        # F.relu(..., inplace=True)); hand on a copy so the kept activation stays what the module returned.
        return out.clone()

    handle = module.register_forward_hook(fwd_hook)
    try:
        with _FrozenParams(model), torch.enable_grad():
            xg = x.detach().clone().requires_grad_(True)
            logits = model(xg)
            if "act" not in state:
                raise RuntimeError(f"{layer} was not called {want} time(s) during forward")
            score, used = _score(logits, classes)
            score.backward()
    finally:
        handle.remove()
    if "grad" not in state:
        raise RuntimeError(f"no gradient reached {layer}")
    act, grad = state["act"].detach(), state["grad"]
    if reshape_transform is not None:
        cam_act, cam_grad = reshape_transform(act), reshape_transform(grad)
    else:
        cam_act, cam_grad = act, grad
    return {
        "logits": logits.detach(),
        "classes": used,
        "activation": act,
        "saliency": saliency_maps(xg.grad),
        "gradcam": gradcam_maps(cam_act, cam_grad, x.shape[2:]),
    }


def probe_route(scripted, x: Tensor, tap_index: int, tap_shape, classes=None, tap: Optional[dict] = None
                ) -> Dict[str, object]:
    """The same maps from TorchScript `forward_tap`, exactly as the Java engine computes them."""
    probe = torch.zeros([x.shape[0]] + list(tap_shape), dtype=x.dtype, requires_grad=True)
    with _FrozenParams(scripted), torch.enable_grad():
        xg = x.detach().clone().requires_grad_(True)
        logits, act = scripted.forward_tap(xg, torch.tensor(tap_index, dtype=torch.long), probe)
        score, used = _score(logits, classes)
        score.backward()
    if xg.grad is None or probe.grad is None:
        raise RuntimeError("forward_tap did not propagate gradients to both the input and the probe")
    act = act.detach()
    return {
        "logits": logits.detach(),
        "classes": used,
        "activation": act,
        "saliency": saliency_maps(xg.grad),
        "gradcam": gradcam_maps(channels_first(act, tap), channels_first(probe.grad, tap), x.shape[2:]),
    }


def collect_activations(model: nn.Module, x: Tensor, names: Sequence[str]) -> Dict[str, Tensor]:
    """One eager forward (no grad) keeping the output of every named module call (`path#k` supported)."""
    by_path: Dict[str, Dict[int, str]] = {}
    for name in names:
        path, k = split_name(name)
        by_path.setdefault(path, {})[k] = name
    modules = dict(model.named_modules())
    kept: Dict[str, Tensor] = {}
    handles = []
    for path, wanted in by_path.items():
        counter = {"n": 0}

        def hook(_m, _inp, out, wanted=wanted, counter=counter):
            counter["n"] += 1
            name = wanted.get(counter["n"])
            if name is not None and isinstance(out, Tensor):
                kept[name] = out.detach().clone()

        handles.append(modules[path].register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in handles:
            h.remove()
    return kept
