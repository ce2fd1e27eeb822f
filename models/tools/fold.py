"""Folds eval-mode BatchNorm into the convolution before it, keeping every tap (see models/FORMAT.md).

An eval-mode BatchNorm is a per-channel affine map y = scale * c + shift of its input c. When that input is a
convolution's output and nothing else reads it, the pair is one convolution with weights W * scale and bias
b * scale + shift. Explanations do not change (the network computes the same function), but every explanation
then skips a BatchNorm forward and backward: on ResNet-50 that is about a tenth of a saliency pass.

The tap at the convolution's own output (before the BatchNorm) stays: at run time, when that tap is chosen, the
graph recovers c = (y - shift) / scale, adds the probe to c and continues with scale * (c + probe) + shift, so the
tap returns the convolution's output and the probe's gradient is the gradient with respect to it, as before.
A BatchNorm with a (near-)zero scale in any channel is left alone: its inverse would not exist.
"""
import copy
from typing import Dict, List, Tuple

import torch
import torch.fx
from torch import Tensor, nn

# Channels whose |scale| is below this (e.g. zero-initialised residual BatchNorms) keep their BatchNorm.
MIN_SCALE = 1e-6


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


def fold_batch_norms(gm: torch.fx.GraphModule, tap_nodes: List[torch.fx.Node]) -> Tuple[Dict[int, tuple], int]:
    """Folds every foldable conv -> BatchNorm pair of `gm` in place and re-points `tap_nodes` (in place).

    Returns (affine, count): affine[i] = (scale, shift) for each tap i that sat at a folded convolution's output and
    now reads the BatchNorm-space value (see module docstring); count = pairs folded. Taps that sat at the
    BatchNorm's output now sit at the folded convolution, which computes exactly that.
    """
    modules = dict(gm.named_modules())
    taps_at: Dict[torch.fx.Node, List[int]] = {}
    for i, node in enumerate(tap_nodes):
        taps_at.setdefault(node, []).append(i)
    affine: Dict[int, tuple] = {}
    count = 0
    for bn_node in list(gm.graph.nodes):
        pair = _foldable(gm, modules, bn_node)
        if pair is None:
            continue
        conv_node, conv, bn = pair
        scale, shift = batch_norm_affine(bn)
        if not torch.isfinite(scale).all() or float(scale.abs().min()) < MIN_SCALE:
            continue
        parent, _, name = conv_node.target.rpartition(".")
        # The graph module's parents are its own containers (fx copies only the leaves), so the eager model keeps
        # its unfolded convolution for verification.
        setattr(gm.get_submodule(parent) if parent else gm, name, folded_conv(conv, scale, shift))
        bn_node.replace_all_uses_with(conv_node)
        gm.graph.erase_node(bn_node)
        for i in taps_at.get(conv_node, []):
            affine[i] = (scale.float().view(1, -1, 1, 1), shift.float().view(1, -1, 1, 1))
        for i in taps_at.get(bn_node, []):
            tap_nodes[i] = conv_node
        count += 1
    gm.delete_all_unused_submodules()
    gm.graph.lint()
    gm.recompile()
    return affine, count
