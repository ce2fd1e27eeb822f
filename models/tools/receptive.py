"""Receptive fields of layer taps: where each cell of a tap's grid looks in the input (models/FORMAT.md,
"receptiveField").

Cell (i, j) of a tap is centred on input point (center_y + i * stride_y, center_x + j * stride_x), in pixels of the
model's input with the image's top-left corner at 0 (pixel k spans [k, k + 1)). The numbers are measured, not
assumed: a *geometry copy* of the eager model (every convolution and linear layer with equal positive weights and
no bias, BatchNorms as identities, max pooling as average pooling with the same window, dropout off) is run on an
input of ones, and the gradient of one cell's channel sum with respect to the input is taken. In that copy every
unit is active and every path weighs the same, so the gradient is symmetric about the cell's receptive-field centre:
the centroid of any of its level sets is that centre, exactly, whatever the padding, strides and dilations (and
through residual additions and concatenations). Two neighbouring cells give the stride. Cells whose field reaches the border are avoided by
probing a larger input when the network allows it (the centres of a convolutional network do not depend on the input
size); a field that cannot be measured that way is not recorded, and the app then upsamples plainly and says so.

Only (N, C, H, W) taps are measured. Token grids (ViT) and channels-last stages (Swin) come from patch embeddings,
whose cells plain `align_corners=False` upsampling already draws at the patch centres.

    /usr/bin/python3 models/tools/receptive.py models/shapes        # add the field to a default package's manifest
"""
import argparse
import copy
import json
import sys
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import torch
from torch import nn


class _Stop(Exception):
    """Raised by the hook once the tapped activation is captured: nothing after the tap is needed."""


def geometry_copy(model: nn.Module) -> nn.Module:
    """The model with the receptive-field geometry kept and every weight made equal and positive (see above)."""
    g = copy.deepcopy(model).eval().float()

    def swap(parent: nn.Module):
        for name, child in parent.named_children():
            if isinstance(child, nn.MaxPool2d):
                setattr(parent, name, nn.AvgPool2d(child.kernel_size, child.stride, child.padding,
                                                   ceil_mode=child.ceil_mode, count_include_pad=True))
            elif isinstance(child, nn.AdaptiveMaxPool2d):
                setattr(parent, name, nn.AdaptiveAvgPool2d(child.output_size))
            else:
                swap(child)

    swap(g)
    with torch.no_grad():
        for m in g.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear, nn.Conv1d)):
                m.weight.fill_(1.0 / max(1, m.weight[0].numel()))
                if m.bias is not None:
                    m.bias.zero_()
            elif isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.running_mean.zero_()
                m.running_var.fill_(1.0 - m.eps)
                if m.weight is not None:
                    m.weight.fill_(1.0)
                    m.bias.zero_()
    return g


def _cell_gradient(g: nn.Module, module: nn.Module, size, cells: Sequence[tuple]):
    """Gradients of the channel sum of each cell of `module`'s output w.r.t. a ones input of `size` (C, H, W)."""
    captured = {}

    def hook(_m, _inp, out):
        captured["a"] = out
        raise _Stop()

    handle = module.register_forward_hook(hook)
    try:
        x = torch.ones((1,) + tuple(size), dtype=torch.float32, requires_grad=True)
        try:
            g(x)
        except _Stop:
            pass
        a = captured.get("a")
        if not isinstance(a, torch.Tensor) or a.dim() != 4:
            return None, None
        grads = []
        for (i, j) in cells:
            if not (0 <= i < a.shape[2] and 0 <= j < a.shape[3]):
                return a.shape, None
            (grad,) = torch.autograd.grad(a[0, :, i, j].sum(), x, retain_graph=True)
            grads.append(grad[0].abs().sum(0))
        return a.shape, grads
    finally:
        handle.remove()


def _centroid(w: torch.Tensor):
    """Centroid of the gradient's half-maximum region (continuous coordinates, pixel k centred at k + 0.5) and
    whether that region touches a border. The gradient is symmetric about the centre, so is any of its level sets;
    the half-maximum one stays well inside the image even when the theoretical field (hundreds of pixels for a
    ResNet's last stage) does not, because the effective field is concentrated near its centre."""
    peak = w.max()
    if not peak > 0:
        return None
    # (w - peak / 2)+ rather than a 0/1 cut: no value flips in or out of the region by a rounding error.
    top = (w - 0.5 * peak).clamp(min=0)
    total = top.sum()
    ys = torch.arange(w.shape[0], dtype=w.dtype) + 0.5
    xs = torch.arange(w.shape[1], dtype=w.dtype) + 0.5
    cy = float((top.sum(1) * ys).sum() / total)
    cx = float((top.sum(0) * xs).sum() / total)
    region = (top > 0).nonzero()
    touches = bool(region[:, 0].min() == 0 or region[:, 1].min() == 0 or region[:, 0].max() == w.shape[0] - 1
                   or region[:, 1].max() == w.shape[1] - 1)
    return cy, cx, touches


def measure(g: nn.Module, module: nn.Module, input_chw: Sequence[int], grid_hw: Sequence[int],
            max_side: int = 1024) -> Optional[dict]:
    """{"stride": [sy, sx], "center": [cy, cx]} of one tap at the model's input size, or None when it cannot be
    measured (no 4-D output, a field larger than any probe input the network accepts, a grid that does not grow
    with the input)."""
    c, h, w = input_chw
    scale = 1
    while True:
        size = (c, h * scale, w * scale)
        try:
            shape, _ = _cell_gradient(g, module, size, [])
        except (RuntimeError, ValueError):
            return None
        if shape is None:
            return None
        gh, gw = shape[2], shape[3]
        if scale == 1 and (gh, gw) != tuple(grid_hw):
            return None
        i, j = gh // 2, gw // 2
        if gh < 2 or gw < 2:
            return None
        _, grads = _cell_gradient(g, module, size, [(i, j), (i - 1, j - 1) if i > 0 and j > 0 else (i, j)])
        here, before = _centroid(grads[0]), _centroid(grads[1])
        if here is None or before is None:
            return None
        if not here[2] and not before[2]:
            sy, sx = here[0] - before[0], here[1] - before[1]
            if not (sy > 0 and sx > 0):
                return None
            cy, cx = here[0] - i * sy, here[1] - j * sx
            return {"stride": [_round(sy), _round(sx)], "center": [_round(cy), _round(cx)]}
        if max(size[1], size[2]) * 2 > max_side:
            return None
        scale *= 2


def _round(v: float) -> float:
    # float32 centroids are good to ~1e-4 px; conv/pool arithmetic puts centres on multiples of 1/2^k.
    return round(v * 64) / 64 if abs(v * 64 - round(v * 64)) < 0.25 else round(v, 3)


# ---------------------------------------------------------------------------------------------------------------
# Analytic: convolution and pooling arithmetic along the traced graph
# ---------------------------------------------------------------------------------------------------------------

def _pair(v):
    return (v, v) if isinstance(v, int) else tuple(v)


def _shape(node) -> Optional[tuple]:
    meta = node.meta.get("tensor_meta") if hasattr(node, "meta") else None
    return tuple(meta.shape) if meta is not None and hasattr(meta, "shape") else None


def _window(rf, kernel, stride, padding, dilation):
    """The field after a window op: cell j of the output reads input cells j*s - p + [0, (k-1)*d]."""
    (sy, sx, cy, cx) = rf
    ky, kx = _pair(kernel)
    ty, tx = _pair(stride)
    py, px = _pair(padding)
    dy, dx = _pair(dilation)
    return (sy * ty, sx * tx, cy + ((ky - 1) * dy / 2 - py) * sy, cx + ((kx - 1) * dx / 2 - px) * sx)


def _conv_padding(m: nn.Conv2d):
    if isinstance(m.padding, str):
        if m.padding == "valid":
            return (0, 0)
        # "same": PyTorch pads (total // 2) before and the rest after.
        return tuple((d * (k - 1)) // 2 for k, d in zip(m.kernel_size, m.dilation))
    return m.padding


def analytic_fields(gm: torch.fx.GraphModule) -> Dict[torch.fx.Node, tuple]:
    """(stride_y, stride_x, centre_y, centre_x) of every (N, C, H, W) node that the arithmetic can follow:
    convolutions and pooling windows change it, element-wise operations and anything else that keeps the grid
    pass it on when all its map inputs agree; the rest (resizing, flattening, attention) ends it."""
    import torch.nn.functional as F

    fields: Dict[torch.fx.Node, tuple] = {}
    modules = dict(gm.named_modules())

    def map_inputs(node, depth=0):
        """Fields of the nearest map ancestors (through reshapes that leave the map, e.g. a channel shuffle)."""
        out = []
        for a in node.all_input_nodes:
            if a in fields:
                out.append((a, fields[a]))
            elif depth < 8 and _shape(a) is not None and len(_shape(a)) != 4:
                out.extend(map_inputs(a, depth + 1))
        return out

    for node in gm.graph.nodes:
        shape = _shape(node)
        if node.op == "placeholder":
            if shape is not None and len(shape) == 4:
                fields[node] = (1.0, 1.0, 0.5, 0.5)
            continue
        if shape is None or len(shape) != 4:
            continue
        ins = map_inputs(node)
        if not ins:
            continue
        first_node, first = ins[0]
        in_shape = _shape(first_node)
        rf = None
        windowed = False  # a window op whose field could not be followed must not fall back to pass-through
        if node.op == "call_module":
            m = modules.get(node.target)
            windowed = isinstance(m, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d,
                                      nn.AdaptiveMaxPool2d))
            if isinstance(m, nn.Conv2d):
                rf = _window(first, m.kernel_size, m.stride, _conv_padding(m), m.dilation)
            elif isinstance(m, nn.MaxPool2d):
                rf = _window(first, m.kernel_size, m.stride if m.stride is not None else m.kernel_size, m.padding,
                             m.dilation)
            elif isinstance(m, nn.AvgPool2d):
                rf = _window(first, m.kernel_size, m.stride if m.stride is not None else m.kernel_size, m.padding, 1)
            elif isinstance(m, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
                ih, iw = in_shape[2], in_shape[3]
                oh, ow = shape[2], shape[3]
                if (ih, iw) == (oh, ow):
                    rf = first
                elif ih % oh == 0 and iw % ow == 0:
                    rf = _window(first, (ih // oh, iw // ow), (ih // oh, iw // ow), 0, 1)
        elif node.op == "call_function" and node.target in (F.max_pool2d, F.avg_pool2d):
            windowed = True

            def arg(i, name, default):
                return node.args[i] if len(node.args) > i else node.kwargs.get(name, default)
            k = arg(1, "kernel_size", None)
            st = arg(2, "stride", None) or k
            pad = arg(3, "padding", 0)
            dil = arg(4, "dilation", 1) if node.target is F.max_pool2d else 1
            rf = _window(first, k, st, pad, dil)
        if rf is None and not windowed:
            # Anything else keeps the field only if it keeps the grid and its map inputs agree (a residual add).
            same_grid = all(_shape(n)[2:] == shape[2:] for n, _ in ins)
            agree = all(max(abs(a - b) for a, b in zip(f, first)) < 1e-6 for _, f in ins)
            if same_grid and agree:
                rf = first
        if rf is not None:
            fields[node] = rf
    return fields


def check_with_probe(model: nn.Module, taps: List[dict], fields: Dict[int, dict], input_chw) -> List[str]:
    """Measures, on the geometry copy at the model's own input size, every tap whose field fits inside the input,
    and returns the names of those where measurement and arithmetic disagree (by more than 1e-3 px)."""
    g = geometry_copy(model)
    gmodules = dict(g.named_modules())
    wrong = []
    for tap in taps:
        rf = fields.get(tap["index"])
        original = module_for(model, tap["names"])
        if rf is None or original is None:
            continue
        name = next(n for n, m in model.named_modules() if m is original)
        measured = measure(g, gmodules[name], input_chw, tap["shape"][1:3], max_side=max(input_chw[1:]))
        if measured is None:
            continue
        if max(abs(a - b) for a, b in zip(measured["stride"] + measured["center"], rf["stride"] + rf["center"])) > 1e-3:
            wrong.append(f"{tap['names'][-1]}: arithmetic {rf}, probe {measured}")
        tap.setdefault("_probed", True)
    return wrong


def tap_fields(gm: torch.fx.GraphModule, taps: List[dict], tap_nodes) -> Dict[int, dict]:
    """{tap index: {"stride": [sy, sx], "center": [cy, cx]}} for the NCHW taps the arithmetic follows."""
    fields = analytic_fields(gm)
    out = {}
    for tap, node in zip(taps, tap_nodes):
        if tap.get("layout", "NCHW") == "NCHW" and node in fields:
            sy, sx, cy, cx = fields[node]
            out[tap["index"]] = {"stride": [_round(sy), _round(sx)], "center": [_round(cy), _round(cx)]}
    return out


def module_for(model: nn.Module, names: Sequence[str]) -> Optional[nn.Module]:
    """The module whose (first) output is the tap: a name without a `#k` call suffix that is a real module path."""
    modules = dict(model.named_modules())
    for name in names:
        if "#" not in name and name in modules:
            return modules[name]
    return None


def receptive_fields(model: nn.Module, taps: List[dict], input_chw: Sequence[int]) -> Dict[int, dict]:
    """{tap index: receptiveField} for the NCHW taps that can be measured."""
    g = geometry_copy(model)
    gmodules = dict(g.named_modules())
    out = {}
    for tap in taps:
        if tap.get("layout", "NCHW") != "NCHW":
            continue
        original = module_for(model, tap["names"])
        if original is None:
            continue
        name = next(n for n, m in model.named_modules() if m is original)
        rf = measure(g, gmodules[name], input_chw, tap["shape"][1:3])
        if rf is not None:
            out[tap["index"]] = rf
    return out


def add_to_manifest(manifest_path: Path, model: nn.Module) -> int:
    """Writes "receptiveField" into every measurable tap of a package manifest; returns how many."""
    manifest = json.loads(manifest_path.read_text())
    inp = manifest["input"]
    fields = receptive_fields(model, manifest["taps"], (inp["channels"], inp["height"], inp["width"]))
    for tap in manifest["taps"]:
        if tap["index"] in fields:
            tap["receptiveField"] = fields[tap["index"]]
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return len(fields)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("package", help="a default model package folder (models/shapes or models/fashion-mnist)")
    args = p.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import refold_defaults  # noqa: E402 (imports the training scripts, which define the architectures)
    package = Path(args.package)
    model_id = json.loads((package / "manifest.json").read_text())["id"]
    model = refold_defaults.eager_net(model_id, package)
    n = add_to_manifest(package / "manifest.json", model)
    print(f"{package}: receptive fields recorded for {n} taps")
    return 0


if __name__ == "__main__":
    sys.exit(main())
