"""Receptive fields of layer taps: where each cell of a tap's grid looks in the input (models/FORMAT.md,
"receptiveField").

Cell (i, j) of a tap is centred on input point (center_y + i * stride_y, center_x + j * stride_x), in pixels of the
model's input with the image's top-left corner at 0 (pixel k spans [k, k + 1)).

The numbers come from arithmetic along the traced fx graph (analytic_fields): a convolution or pooling window with
kernel k, stride s, padding p and dilation d moves the centre by ((k - 1) d / 2 - p) input strides and multiplies
the stride by s; element-wise operations and residual additions whose inputs agree pass it on; anything else that
changes the grid (resizing, flattening, attention, a channel shuffle the arithmetic cannot see through) ends it, and
those taps get no field (the app then upsamples plainly and says so).

The arithmetic is checked by a gradient probe on a *geometry copy* of the eager model (every convolution and linear
layer with equal positive weights and no bias, BatchNorms as identities, max pooling as average pooling with the
same window, dropout off) run on an input of ones: in that copy every unit is active and every path weighs the same,
so the gradient of one cell's channel sum with respect to the input is symmetric about the cell's receptive-field
centre whenever its whole support lies inside the input, and two neighbouring cells give the stride. Deep taps whose
support reaches the border cannot be probed exactly and rest on the arithmetic alone; a tap where the probe measures
something else is not recorded.

Only (N, C, H, W) taps get a field. Token grids (ViT) and channels-last stages (Swin) come from patch embeddings,
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


def _support_inside(w: torch.Tensor) -> bool:
    """Whether the whole gradient support (every nonzero value) lies strictly inside the input: only then is the
    geometry copy's gradient exactly symmetric about the centre (zero padding at a border breaks the symmetry)."""
    nz = (w > 0).nonzero()
    return bool(len(nz)) and bool(nz[:, 0].min() > 0 and nz[:, 1].min() > 0 and nz[:, 0].max() < w.shape[0] - 1
                                  and nz[:, 1].max() < w.shape[1] - 1)


def probe(g: nn.Module, module: nn.Module, input_chw: Sequence[int]) -> Optional[dict]:
    """The field of one tap measured on the geometry copy at the model's own input size, from the middle cell and
    its upper-left neighbour; None when the network or the field does not allow an exact measurement there (no
    4-D output, a grid under 2 x 2, a gradient support that reaches the border)."""
    shape, _ = _cell_gradient(g, module, tuple(input_chw), [])
    if shape is None or shape[2] < 2 or shape[3] < 2:
        return None
    i, j = shape[2] // 2, shape[3] // 2
    _, grads = _cell_gradient(g, module, tuple(input_chw), [(i, j), (i - 1, j - 1)])
    if grads is None or not all(_support_inside(w) for w in grads):
        return None
    here, before = _centroid(grads[0]), _centroid(grads[1])
    if here is None or before is None:
        return None
    sy, sx = here[0] - before[0], here[1] - before[1]
    return {"stride": [_round(sy), _round(sx)], "center": [_round(here[0] - i * sy), _round(here[1] - j * sx)]}


def check_with_probe(model: nn.Module, taps: List[dict], fields: Dict[int, dict], input_chw,
                     limit: int = 32) -> Dict[str, list]:
    """Measures taps with a field whose gradient support fits inside the input (probe above), in graph order, and
    compares them with the arithmetic. Returns {"agree": [tap names], "disagree": [(tap name, arithmetic, probe)]};
    taps the probe cannot measure exactly are in neither list. Fields grow with depth, so after three taps in a row
    that cannot be measured, or `limit` measured ones, the rest rest on the arithmetic (an export stays fast)."""
    g = geometry_copy(model)
    gmodules = dict(g.named_modules())
    names = {id(m): n for n, m in model.named_modules()}
    result = {"agree": [], "disagree": []}
    misses = 0
    for tap in taps:
        if misses >= 3 or len(result["agree"]) + len(result["disagree"]) >= limit:
            break
        rf = fields.get(tap["index"])
        original = module_for(model, tap["names"])
        if rf is None or original is None:
            continue
        try:
            measured = probe(g, gmodules[names[id(original)]], input_chw)
        except (RuntimeError, ValueError):
            measured = None
        if measured is None:
            misses += 1
            continue
        misses = 0
        diff = max(abs(a - b) for a, b in zip(measured["stride"] + measured["center"], rf["stride"] + rf["center"]))
        if diff > 1e-3:
            result["disagree"].append((tap["names"][0], rf, measured))
        else:
            result["agree"].append(tap["names"][0])
    return result


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


def checked_fields(model: nn.Module, gm: torch.fx.GraphModule, taps: List[dict], tap_nodes,
                   input_chw: Sequence[int]) -> Dict[str, object]:
    """The fields an export records: the arithmetic's, minus any tap where the probe measures something else (never
    recorded rather than guessed). {"fields": {tap index: field}, "probed": n, "dropped": [why]}."""
    fields = tap_fields(gm, taps, tap_nodes)
    check = check_with_probe(model, taps, fields, input_chw)
    dropped = []
    for name, rf, measured in check["disagree"]:
        index = next(t["index"] for t in taps if t["names"][0] == name)
        fields.pop(index, None)
        dropped.append(f"{name}: arithmetic {rf}, probe {measured}")
    return {"fields": fields, "probed": len(check["agree"]) + len(check["disagree"]), "dropped": dropped}


def add_to_manifest(manifest_path: Path, model: nn.Module) -> Dict[str, object]:
    """Writes "receptiveField" into the taps of an existing package manifest (matched by name) that the arithmetic
    follows and the probe does not contradict; the model file does not change."""
    import taps as taps_mod
    manifest = json.loads(manifest_path.read_text())
    inp = manifest["input"]
    chw = (inp["channels"], inp["height"], inp["width"])
    gm, taps, tap_nodes, _ = taps_mod.trace_with_taps(model.eval(), torch.zeros((2,) + chw))
    result = checked_fields(model, gm, taps, tap_nodes, chw)
    by_name = {t["names"][0]: result["fields"].get(t["index"]) for t in taps}
    n = 0
    for tap in manifest["taps"]:
        tap.pop("receptiveField", None)
        field = by_name.get(tap["names"][0])
        if field is not None:
            tap["receptiveField"] = field
            n += 1
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    return dict(result, recorded=n)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("package", help="a default model package folder (models/shapes or models/fashion-mnist)")
    args = p.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import refold_defaults  # noqa: E402 (imports the training scripts, which define the architectures)
    package = Path(args.package)
    model_id = json.loads((package / "manifest.json").read_text())["id"]
    model = refold_defaults.eager_net(model_id, package)
    result = add_to_manifest(package / "manifest.json", model)
    print(f"{package}: receptive fields recorded for {result['recorded']} taps, {result['probed']} checked by the "
          f"probe, dropped {result['dropped'] or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
