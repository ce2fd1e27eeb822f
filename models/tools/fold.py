"""Folds eval-mode BatchNorm into the convolution before it, keeping every tap (see models/FORMAT.md).

An eval-mode BatchNorm is a per-channel affine map y = scale * c + shift of its input c. When that input is a
convolution's output and nothing else reads it, the pair is one convolution with weights W * scale and bias
b * scale + shift. Explanations do not change (the network computes the same function), but every explanation
then skips a BatchNorm forward and backward: on ResNet-50 that is about a tenth of a saliency pass.

The tap at the convolution's own output (before the BatchNorm) stays: at run time, when that tap is chosen, the
graph recovers c = (y - shift) / scale, adds the probe to c and continues with scale * (c + probe) + shift, so the
tap returns the convolution's output and the probe's gradient is the gradient with respect to it, as before.
A pair is left unfolded (and named in the manifest's `provenance.batchNormsKeptUnfolded`) when it cannot be folded
exactly enough, judged per pair on the example input's actual activations:
- a scale that is (near) zero in any channel, absolutely (`MIN_SCALE`) or relative to its shift: recovering the
  convolution's output as (y - shift) / scale loses about eps32 * |shift| / |scale|, which must stay below
  `PAIR_TOLERANCE` of the convolution output's magnitude;
- the folded float32 convolution must reproduce BatchNorm(conv(x)), and the recovery the convolution output, within
  `PAIR_TOLERANCE` (relative to the largest value), computed in float64.
Everything else is folded; the exact float64 folded weights are kept (`FoldResult.exact`) so that the verification's
float64 judgement (verify.py) runs the same function as the eager model, not one with float32-rounded products.
"""
import copy
from typing import Dict, List, NamedTuple, Optional, Tuple

import torch
import torch.fx
import torch.nn.functional as F
from torch import Tensor, nn

# Channels whose |scale| is below this (e.g. zero-initialised residual BatchNorms) keep their BatchNorm.
MIN_SCALE = 1e-6
# Largest error, relative to the largest |value| of the tensor, that a fold may introduce in the BatchNorm's output or
# in the recovered convolution output (float32 rounding is ~6e-8).
PAIR_TOLERANCE = 1e-5
EPS32 = 2.0 ** -24


class FoldResult(NamedTuple):
    affine: Dict[int, str]            # tap index -> path of the folded BatchNorm, for taps at a folded conv's output
    count: int                        # pairs folded
    kept: List[str]                   # BatchNorm paths left unfolded, and why: "path: reason"
    exact: Dict[str, Tensor]          # gm parameter / buffer name -> exact float64 value (for the float64 judgement)
    pairs: List[dict] = []            # per folded pair: conv, batchNorm, convBias, affine, eps (manifest provenance)


class FoldedBatchNorm(nn.Module):
    """What stays of a folded BatchNorm, at its own path: its statistics and affine, applied by nothing.

    Two readers need them. The tap at the folded convolution's output recovers c = (y - shift) / scale from them at
    run time (taps._tap_folded), so it stays right when they change. And the sanity check (cascading randomisation)
    randomises `weight` and `bias` exactly as it would the BatchNorm's, then rewrites the folded convolution from
    the pair's logical parts (provenance.batchNormFolds in models/FORMAT.md). `weight` and `bias` are parameters
    under the BatchNorm's names, as in the unfolded export (buffers of ones and zeros when it had no affine);
    `running_mean` and `running_var` are parameters that never require grad, so that DJL can read them.
    """

    def __init__(self, bn: nn.BatchNorm2d):
        super().__init__()
        var = bn.running_var.detach().clone()
        if bn.weight is not None:
            self.weight = nn.Parameter(bn.weight.detach().clone(), requires_grad=bn.weight.requires_grad)
            self.bias = nn.Parameter(bn.bias.detach().clone(), requires_grad=bn.bias.requires_grad)
        else:
            self.register_buffer("weight", torch.ones_like(var))
            self.register_buffer("bias", torch.zeros_like(var))
        self.running_mean = nn.Parameter(bn.running_mean.detach().clone(), requires_grad=False)
        self.running_var = nn.Parameter(var, requires_grad=False)
        self.eps = float(bn.eps)


def runtime_affine(gamma: Tensor, beta: Tensor, mean: Tensor, var: Tensor, eps: float) -> Tuple[Tensor, Tensor]:
    """(scale, shift) as the tap recovery computes them at run time, in the dtype of its inputs (1-D, per channel)."""
    scale = gamma / torch.sqrt(var + eps)
    return scale, beta - mean * scale


def batch_norm_affine(bn: nn.BatchNorm2d) -> Tuple[Tensor, Tensor]:
    """(scale, shift) of an eval-mode BatchNorm: bn(c) = scale * c + shift per channel."""
    var, mean = bn.running_var.detach().double(), bn.running_mean.detach().double()
    gamma = bn.weight.detach().double() if bn.weight is not None else torch.ones_like(var)
    beta = bn.bias.detach().double() if bn.bias is not None else torch.zeros_like(var)
    scale = gamma / torch.sqrt(var + bn.eps)
    return scale, beta - mean * scale


def folded_conv(conv: nn.Conv2d, scale: Tensor, shift: Tensor) -> nn.Conv2d:
    """A copy of `conv` whose output is scale * conv(x) + shift (computed in float64, stored as float32)."""
    out = copy.deepcopy(conv)
    w = conv.weight.detach().double() * scale.view(-1, 1, 1, 1)
    b = conv.bias.detach().double() if conv.bias is not None else torch.zeros_like(scale)
    out.weight = nn.Parameter(w.to(conv.weight.dtype))
    out.bias = nn.Parameter((b * scale + shift).to(conv.weight.dtype))
    return out


def _foldable(gm: torch.fx.GraphModule, modules: Dict[str, nn.Module], bn_node: torch.fx.Node):
    """The (conv node, conv, bn) pair when `bn_node` is an eval BatchNorm2d reading only a plain Conv2d's output."""
    bn = modules.get(bn_node.target) if bn_node.op == "call_module" else None
    if type(bn) is not nn.BatchNorm2d or bn.training or bn.running_mean is None or bn.running_var is None:
        return None
    if len(bn_node.args) != 1 or bn_node.kwargs:
        return None
    conv_node = bn_node.args[0]
    if not isinstance(conv_node, torch.fx.Node) or conv_node.op != "call_module" or len(conv_node.users) != 1:
        return None
    conv = modules.get(conv_node.target)
    if type(conv) is not nn.Conv2d or conv.out_channels != bn.num_features:
        return None
    return conv_node, conv, bn


def _pair_check(conv: nn.Conv2d, folded: nn.Conv2d, bn: nn.BatchNorm2d, scale: Tensor, shift: Tensor,
                x: Optional[Tensor]) -> Optional[str]:
    """Why this pair cannot be folded exactly enough on input `x` (the conv's input), or None."""
    if not torch.isfinite(scale).all() or not torch.isfinite(shift).all():
        return "non-finite scale or shift"
    if float(scale.abs().min()) < MIN_SCALE:
        return f"|scale| {float(scale.abs().min()):.3g} < {MIN_SCALE:g} in some channel (no inverse)"
    if x is None:
        return None
    with torch.no_grad():
        x64 = x.double()
        c = F.conv2d(x64, conv.weight.double(), None if conv.bias is None else conv.bias.double(), conv.stride,
                     conv.padding, conv.dilation, conv.groups)
        want = c * scale.view(1, -1, 1, 1) + shift.view(1, -1, 1, 1)
        y32 = F.conv2d(x, folded.weight, folded.bias, conv.stride, conv.padding, conv.dilation, conv.groups)
        c_mag = float(c.abs().max()) or 1.0
        # Predicted recovery error per channel: rounding y (magnitude |scale c| + |shift|) divided by |scale|.
        per_channel = EPS32 * (shift.abs() / scale.abs() + c.abs().amax(dim=(0, 2, 3)))
        worst = int(per_channel.argmax())
        if float(per_channel[worst]) > PAIR_TOLERANCE * c_mag:
            return (f"|scale| {float(scale[worst].abs()):.3g} is tiny relative to |shift| {float(shift[worst].abs()):.3g} "
                    f"in channel {worst}: recovering the convolution output would lose "
                    f"{float(per_channel[worst]) / c_mag:.2g} of its magnitude")
        y = y32.double()
        d_y = float((y - want).abs().max()) / max(float(want.abs().max()), 1e-30)
        if d_y > PAIR_TOLERANCE:
            return f"folded convolution off by {d_y:.2g} (relative)"
        # The recovery as the saved graph computes it: float32 (scale, shift) from the BatchNorm's own values.
        gamma = bn.weight.detach().float() if bn.weight is not None else torch.ones_like(bn.running_var)
        beta = bn.bias.detach().float() if bn.bias is not None else torch.zeros_like(bn.running_var)
        s32, b32 = runtime_affine(gamma, beta, bn.running_mean.float(), bn.running_var.float(), bn.eps)
        rec = ((y32 - b32.view(1, -1, 1, 1)) / s32.view(1, -1, 1, 1)).double()
        d_c = float((rec - c).abs().max()) / c_mag
        if d_c > PAIR_TOLERANCE:
            return f"recovering the convolution output is off by {d_c:.2g} (relative)"
    return None


def fold_batch_norms(gm: torch.fx.GraphModule, tap_nodes: List[torch.fx.Node], example: Optional[Tensor] = None
                     ) -> FoldResult:
    """Folds every foldable conv -> BatchNorm pair of `gm` in place and re-points `tap_nodes` (in place).

    Returns a FoldResult: affine[i] = the folded BatchNorm's path for each tap i that sat at a folded convolution's
    output and now reads the BatchNorm-space value (see module docstring); pairs = one record per folded pair; count = pairs folded; kept = pairs left unfolded
    because they cannot be folded exactly (with the reason); exact = float64 folded weights. Taps that sat at the
    BatchNorm's output now sit at the folded convolution, which computes exactly that. `example`: an input to judge
    each pair on its actual activations (without it only the absolute scale check applies).
    """
    modules = dict(gm.named_modules())
    taps_at: Dict[torch.fx.Node, List[int]] = {}
    for i, node in enumerate(tap_nodes):
        taps_at.setdefault(node, []).append(i)
    pairs = [(bn_node, _foldable(gm, modules, bn_node)) for bn_node in list(gm.graph.nodes)]
    pairs = [(bn_node, pair) for bn_node, pair in pairs if pair is not None]
    inputs: Dict[torch.fx.Node, Tensor] = {}
    if example is not None and pairs:
        import taps as taps_mod
        wanted = list(dict.fromkeys(pair[0].args[0] for _, pair in pairs))
        inputs = dict(zip(wanted, taps_mod.node_outputs(gm, example, wanted)))
    affine: Dict[int, str] = {}
    records: List[dict] = []
    exact: Dict[str, Tensor] = {}
    kept: List[str] = []
    count = 0
    for bn_node, pair in pairs:
        conv_node, conv, bn = pair
        scale, shift = batch_norm_affine(bn)
        merged = folded_conv(conv, scale, shift)
        why = _pair_check(conv, merged, bn, scale, shift, inputs.get(conv_node.args[0]))
        if why is not None:
            kept.append(f"{bn_node.target}: {why}")
            continue
        parent, _, name = conv_node.target.rpartition(".")
        # The graph module's parents are its own containers (fx copies only the leaves), so the eager model keeps
        # its unfolded convolution for verification.
        setattr(gm.get_submodule(parent) if parent else gm, name, merged)
        w64 = conv.weight.detach().double() * scale.view(-1, 1, 1, 1)
        b64 = (conv.bias.detach().double() if conv.bias is not None else torch.zeros_like(scale)) * scale + shift
        exact[f"{conv_node.target}.weight"] = w64
        exact[f"{conv_node.target}.bias"] = b64
        # The BatchNorm's module stays at its path (same place among its siblings, so parameters keep the unfolded
        # export's order) as a FoldedBatchNorm: the graph no longer calls it.
        bn_parent, _, bn_name = bn_node.target.rpartition(".")
        setattr(gm.get_submodule(bn_parent) if bn_parent else gm, bn_name, FoldedBatchNorm(bn))
        records.append({"conv": conv_node.target, "batchNorm": bn_node.target, "convBias": conv.bias is not None,
                        "affine": bn.weight is not None, "eps": float(bn.eps)})
        bn_node.replace_all_uses_with(conv_node)
        gm.graph.erase_node(bn_node)
        for i in taps_at.get(conv_node, []):
            affine[i] = bn_node.target
        for i in taps_at.get(bn_node, []):
            tap_nodes[i] = conv_node
        count += 1
    # No delete_all_unused_submodules: the graph module holds only modules the graph calls, plus the folded pairs'
    # FoldedBatchNorms, which must stay.
    gm.graph.lint()
    gm.recompile()
    return FoldResult(affine, count, kept, exact, records)
