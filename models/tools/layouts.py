"""Tap layouts from the fx graph (see models/FORMAT.md, "Tap layouts").

A 4-D tensor is not NCHW by default: torchvision's Swin stages and ConvNeXt block internals are (N, H, W, C), ViT's
encoder works on tokens (N, 1 + H*W, C), MaxViT's attention runs on windows (N, groups, P*P, C). The layout of every
tap is therefore derived from the graph, not guessed from its shape:

Every axis of every tensor in the graph is described by the list of *atoms* it is made of (outermost first). An atom
is one source of extent: the batch, a channel dimension, the rows or the columns of a feature map, or tokens. The
network input is (N, C, H, W) with one atom each. Spatial modules and functions (convolutions, pooling) read rows and
columns of an NCHW tensor and make new ones; `permute`/`transpose` move axes; `reshape`/`view`/`flatten` split and
merge atoms (matched by size, in order, as memory order dictates); `cat` of a few extra vectors in front of a token
grid makes a token axis with `prefixTokens`; `Linear`/`LayerNorm` act on the last axis; anything elementwise keeps
its input's description. An op the rules do not know describes its output as unknown.

A tap is then:
- NCHW: (N, C, H, W) with H a row atom and W a column atom;
- NHWC: (N, H, W, C);
- tokens: (N, T, C) whose T is a grid of rows x columns (prefix 0) or a token axis (prefix k, grid H x W);
- otherwise "other" when its axes mix rows or columns in another way (MaxViT windows, a split grid): not a map, so
  not a tap; or undecided when something unknown flows in (decided by the shape probe, or refused).

`probe_layouts` cross-checks with shapes at a second input size: the axes of a map that scale with the input's
height and width are its spatial axes.
"""
import itertools
import operator
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.fx
import torch.nn.functional as F
from torch import nn

_ids = itertools.count()

# An atom: (key, kind, size). kind: "N" batch, "C" channel-like, "H" rows, "W" columns, "T" token axis, "U" unknown.
# A split atom keeps its key with a path suffix, so that merging the parts back in order restores it.
Atom = Tuple[tuple, str, int]
Axis = Tuple[Atom, ...]
Desc = Tuple[Axis, ...]

TOKENS: Dict[tuple, dict] = {}  # token-axis atom key -> {"prefix": k, "grid": [h, w]}


def _fresh(kind: str, size: int) -> Atom:
    return ((next(_ids),), kind, int(size))


def _unknown(shape) -> Desc:
    return tuple((_fresh("U", s),) for s in shape)


def _known(desc: Optional[Desc]) -> bool:
    return desc is not None and all(a[1] != "U" for ax in desc for a in ax)


def _size(axis: Axis) -> int:
    n = 1
    for a in axis:
        n *= a[2]
    return n


def _merge(atoms: List[Atom]) -> List[Atom]:
    """Merges consecutive parts of a split atom back into it (H -> (H.0, H.1) -> H)."""
    out: List[Atom] = []
    for a in atoms:
        out.append(a)
        while len(out) >= 2:
            (k1, kind1, s1), (k2, kind2, s2) = out[-2], out[-1]
            if (len(k1) > 1 and k1[:-1] == k2[:-1] and kind1 == kind2 and k1[-1][2] == 0 and k2[-1][2] == 1
                    and k1[-1][1] == (s1, s2)):
                out[-2:] = [(k1[:-1], kind1, s1 * s2)]
            else:
                break
    return out


def _split(atom: Atom, outer: int) -> Tuple[Atom, Atom]:
    key, kind, size = atom
    inner = size // outer
    return (key + (("split", (outer, inner), 0),), kind, outer), (key + (("split", (outer, inner), 1),), kind, inner)


def reshape(desc: Desc, out_shape: Sequence[int]) -> Desc:
    """Describes a reshape (view, flatten, squeeze, unsqueeze): atoms in memory order, regrouped by size."""
    atoms = [a for ax in desc for a in ax if a[2] != 1]
    out: List[Axis] = []
    i = 0
    for size in out_shape:
        size = int(size)
        if size == 1:
            out.append(())
            continue
        group: List[Atom] = []
        n = 1
        while n < size:
            if i >= len(atoms):
                return _unknown(out_shape)
            a = atoms[i]
            if n * a[2] <= size:
                group.append(a)
                n *= a[2]
                i += 1
            elif a[2] % (size // n) == 0 and size % n == 0:
                head, tail = _split(a, size // n)
                group.append(head)
                n *= head[2]
                atoms[i] = tail
            else:
                return _unknown(out_shape)
        if n != size:
            return _unknown(out_shape)
        out.append(tuple(_merge(group)))
    if i != len(atoms):
        return _unknown(out_shape)
    return tuple(out)


def _is(axis: Axis, kind: str) -> bool:
    return len(axis) == 1 and axis[0][1] == kind


def _spatial(axis: Axis) -> bool:
    return any(a[1] in ("H", "W", "T") for a in axis)


def classify(desc: Optional[Desc]) -> dict:
    """{"layout": NCHW | NHWC | tokens | other | undecided, ...} for a tensor description (batch first)."""
    if desc is None:
        return {"layout": "undecided"}
    rank = len(desc)
    body = desc[1:]
    if rank == 4:
        c, h, w = body
        if _is(h, "H") and _is(w, "W") and not _spatial(c) and _known((c,)):
            return {"layout": "NCHW"}
        if _is(c, "H") and _is(h, "W") and not _spatial(w) and _known((w,)):
            return {"layout": "NHWC"}
    if rank == 3:
        t, c = body
        if not _spatial(c) and _known((c,)):
            if len(t) == 2 and t[0][1] == "H" and t[1][1] == "W":
                return {"layout": "tokens", "prefixTokens": 0, "grid": [t[0][2], t[1][2]]}
            if len(t) == 1 and t[0][1] == "T" and t[0][0] in TOKENS:
                info = TOKENS[t[0][0]]
                return {"layout": "tokens", "prefixTokens": info["prefix"], "grid": list(info["grid"])}
    if not _known(desc):
        return {"layout": "undecided"}
    return {"layout": "other"}


# ---------------------------------------------------------------------------------------------------------------
# Propagation rules
# ---------------------------------------------------------------------------------------------------------------

_SPATIAL_MODULES = (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.Upsample,
                    nn.UpsamplingBilinear2d, nn.UpsamplingNearest2d, nn.ConvTranspose2d, nn.ZeroPad2d,
                    nn.ReflectionPad2d, nn.ReplicationPad2d, nn.ConstantPad2d, nn.PixelShuffle, nn.PixelUnshuffle)
_CHANNEL_MAPS = (nn.BatchNorm2d, nn.GroupNorm, nn.InstanceNorm2d, nn.LocalResponseNorm, nn.Dropout2d,
                 nn.ChannelShuffle) if hasattr(nn, "ChannelShuffle") else (
    nn.BatchNorm2d, nn.GroupNorm, nn.InstanceNorm2d, nn.LocalResponseNorm, nn.Dropout2d)
_SPATIAL_FUNCTIONS = {getattr(mod, name) for mod in (F, torch) for name in (
    "conv2d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_max_pool2d", "interpolate",
    "pixel_shuffle", "pixel_unshuffle") if hasattr(mod, name)}


def same_kinds(desc: Optional[Desc], shape) -> Desc:
    """A function that keeps what each axis is but may change its extent (Swin's patch-merging pad: rows and
    columns halved, channels x4): each single-atom axis keeps its atom if its size is unchanged, else a new atom of
    the same kind."""
    if desc is None or len(desc) != len(shape) or any(len(ax) > 1 for ax in desc):
        return _unknown(shape)
    out = []
    for ax, size in zip(desc, shape):
        kind = ax[0][1] if ax else "U"
        out.append(ax if _size(ax) == size else (_fresh(kind, size),))
    return tuple(out)


# Functions called as one node (torch.fx.wrap) whose layout the rules cannot see into: fn -> rule(desc, shape).
FUNCTION_RULES = {}
try:
    from torchvision.models import swin_transformer as _swin
    FUNCTION_RULES[_swin._patch_merging_pad] = same_kinds
except (ImportError, AttributeError):  # pragma: no cover
    pass

_RESHAPES = {"reshape", "view", "flatten", "squeeze", "unsqueeze", "view_as", "reshape_as"}
_REDUCTIONS = {"mean", "sum", "amax", "amin", "max", "min"}


def _spatial_out(desc: Optional[Desc], shape) -> Desc:
    """An NCHW op making a new map: rows and columns are new atoms unless their size is unchanged."""
    if desc is None or len(desc) != 4 or len(shape) != 4 or classify(desc)["layout"] != "NCHW":
        return _unknown(shape)
    n, c, h, w = desc
    c_out = c if _size(c) == shape[1] else (_fresh("C", shape[1]),)
    h_out = h if _size(h) == shape[2] else (_fresh("H", shape[2]),)
    w_out = w if _size(w) == shape[3] else (_fresh("W", shape[3]),)
    return (n, c_out, h_out, w_out)


def _last_axis_out(desc: Optional[Desc], shape, same: bool) -> Desc:
    """Linear / LayerNorm: act on the last axis, which must not hold rows, columns or tokens."""
    if desc is None or len(desc) != len(shape) or _spatial(desc[-1]):
        return _unknown(shape)
    last = desc[-1] if same and _size(desc[-1]) == shape[-1] else (_fresh("C", shape[-1]),)
    return tuple(desc[:-1]) + (last,)


def _norm_dims(dims, rank):
    return [d % rank for d in dims]


def _arg(node, i, name, default=None):
    if len(node.args) > i:
        return node.args[i]
    return node.kwargs.get(name, default)


class Propagator:
    def __init__(self, gm: torch.fx.GraphModule):
        self.gm = gm
        self.modules = dict(gm.named_modules())
        self.desc: Dict[torch.fx.Node, object] = {}
        self.from_input: set = set()  # nodes whose value depends on the network input
        self.non_map: set = set()     # nodes whose value is, or comes by unknown ops from, a non-map arrangement

    @staticmethod
    def shape(node) -> Optional[List[int]]:
        meta = node.meta.get("tensor_meta") if isinstance(node, torch.fx.Node) else None
        shape = getattr(meta, "shape", None)
        return [int(s) for s in shape] if shape is not None else None

    def get(self, a) -> Optional[Desc]:
        d = self.desc.get(a) if isinstance(a, torch.fx.Node) else None
        return d if isinstance(d, tuple) and (not d or isinstance(d[0], tuple)) and not self._is_tuple(a) else None

    def _is_tuple(self, a) -> bool:
        return isinstance(self.desc.get(a), list)

    def run(self) -> Dict[torch.fx.Node, object]:
        for node in self.gm.graph.nodes:
            try:
                self.desc[node] = self.rule(node)
            except Exception:  # a rule that does not fit this call: the output is simply unknown
                shape = self.shape(node)
                self.desc[node] = _unknown(shape) if shape is not None else None
            inputs = [a for a in node.all_input_nodes]
            if node.op == "placeholder" or any(a in self.from_input for a in inputs):
                self.from_input.add(node)
            d = self.desc[node]
            verdict = classify(d)["layout"] if isinstance(d, tuple) and d and isinstance(d[0], tuple) else None
            if verdict == "other" or (verdict in (None, "undecided") and any(a in self.non_map for a in inputs)):
                self.non_map.add(node)
        return self.desc

    def _tensor_args(self, node):
        args = list(node.args) + list(node.kwargs.values())
        flat = []
        for a in args:
            if isinstance(a, (list, tuple)):
                flat.extend(a)
            else:
                flat.append(a)
        return [a for a in flat if isinstance(a, torch.fx.Node) and self.shape(a) is not None]

    def _elementwise(self, node, shape):
        """Output shaped like a tensor argument: that argument's description (a known one first)."""
        same = [a for a in self._tensor_args(node) if self.shape(a) == shape and self.get(a) is not None]
        known = [self.get(a) for a in same if _known(self.get(a))]
        if known:
            if any(k != known[0] for k in known[1:]) and any(classify(k) != classify(known[0]) for k in known[1:]):
                return _unknown(shape)
            return known[0]
        return self.get(same[0]) if same else _unknown(shape)

    def rule(self, node):
        shape = self.shape(node)
        if node.op == "placeholder":
            n, c, h, w = shape
            return ((_fresh("N", n),), (_fresh("C", c),), (_fresh("H", h),), (_fresh("W", w),))
        if node.op in ("get_attr", "output"):
            return _unknown(shape) if shape is not None else None
        if node.op == "call_module":
            return self.module_rule(node, self.modules[node.target], shape)
        target = node.target
        name = target if node.op == "call_method" else getattr(target, "__name__", "")
        src = node.args[0] if node.args else None
        d = self.get(src)
        if node.op == "call_function" and target is operator.getitem:
            if self._is_tuple(src):
                items = self.desc[src]
                idx = node.args[1]
                return items[idx] if isinstance(idx, int) and idx < len(items) else _unknown(shape)
            if shape is None:
                return None
            return self.index_rule(d, node.args[1], shape)
        if shape is None:
            return self.tuple_rule(node, name, d)
        if node.op == "call_method" and name in ("permute",) or (node.op == "call_function" and target is torch.permute):
            dims = node.args[1:] if node.op == "call_method" else (_arg(node, 1, "dims"),)
            if len(dims) == 1 and isinstance(dims[0], (list, tuple)):
                dims = dims[0]
            if d is None:
                return _unknown(shape)
            return tuple(d[i] for i in _norm_dims(dims, len(d)))
        if name in ("transpose", "swapaxes", "swapdims") and (node.op == "call_method" or target in (
                torch.transpose, torch.swapaxes, torch.swapdims)):
            a, b = _arg(node, 1, "dim0"), _arg(node, 2, "dim1")
            if d is None:
                return _unknown(shape)
            a, b = _norm_dims((a, b), len(d))
            out = list(d)
            out[a], out[b] = out[b], out[a]
            return tuple(out)
        if name in _RESHAPES and (node.op == "call_method" or target in (torch.reshape, torch.flatten,
                                                                          torch.squeeze, torch.unsqueeze)):
            return reshape(d, shape) if d is not None else _unknown(shape)
        if name in ("cat", "concat", "concatenate") and node.op == "call_function":
            return self.cat_rule(node, shape)
        if node.op == "call_function" and target in FUNCTION_RULES:
            return FUNCTION_RULES[target](d, shape)
        if node.op == "call_function" and target in _SPATIAL_FUNCTIONS:
            return _spatial_out(d, shape)
        if node.op == "call_function" and target in (F.linear, F.layer_norm):
            return _last_axis_out(d, shape, target is F.layer_norm)
        if name in _REDUCTIONS and d is not None and len(shape) < len(d):
            dims = _arg(node, 1, "dim")
            dims = [dims] if isinstance(dims, int) else list(dims or [])
            keep = [ax for i, ax in enumerate(d) if i not in _norm_dims(dims, len(d))]
            return tuple(keep) if len(keep) == len(shape) else _unknown(shape)
        if name in _REDUCTIONS and d is not None and len(shape) == len(d) and shape != self.shape(src):
            out = tuple(ax if _size(ax) == s else () for ax, s in zip(d, shape))
            return out if all(_size(ax) == s for ax, s in zip(out, shape)) else _unknown(shape)
        return self._elementwise(node, shape)

    def tuple_rule(self, node, name, d):
        if name in ("chunk", "split", "unbind", "tensor_split") and d is not None:
            return None  # parts of a split are described by getitem below only when simple: leave unknown
        return None

    def index_rule(self, d, idx, shape):
        if d is None:
            return _unknown(shape)
        if not isinstance(idx, tuple):
            idx = (idx,)
        if any(i is Ellipsis for i in idx):
            k = idx.index(Ellipsis)
            idx = idx[:k] + (slice(None),) * (len(d) - len(idx) + 1) + idx[k + 1:]
        out = []
        for i, ax in enumerate(d):
            sel = idx[i] if i < len(idx) else slice(None)
            if isinstance(sel, int):
                continue
            if isinstance(sel, slice) and sel == slice(None):
                out.append(ax)
            elif isinstance(sel, slice):
                kind = ax[0][1] if len(ax) == 1 else "U"
                out.append((_fresh(kind if kind != "T" else "U", 0),))
            else:
                return _unknown(shape)
        if len(out) != len(shape):
            return _unknown(shape)
        return tuple(ax if ax and ax[0][2] != 0 else ((ax[0][0], ax[0][1], s),) for ax, s in zip(out, shape))

    def cat_rule(self, node, shape):
        tensors = _arg(node, 0, "tensors")
        dim = _arg(node, 1, "dim", 0)
        descs = [self.get(t) for t in tensors]
        shapes = [self.shape(t) for t in tensors]
        if any(s is None for s in shapes) or any(dd is None for dd in descs):
            return _unknown(shape)
        dim = dim % len(shape)
        cats = [dd[dim] for dd in descs]
        others = [tuple(ax for i, ax in enumerate(dd) if i != dim) for dd in descs]
        known = [o for o in others if _known(o)]
        rest = known[0] if known else others[0]
        grids = [i for i, ax in enumerate(cats) if len(ax) == 2 and ax[0][1] == "H" and ax[1][1] == "W"]
        if len(grids) == 1 and not any(_spatial(ax) for i, ax in enumerate(cats) if i != grids[0]):
            g = grids[0]
            if g == len(cats) - 1:  # extra tokens in front of the grid (class, distillation, register tokens)
                atom = _fresh("T", shape[dim])
                TOKENS[atom[0]] = {"prefix": sum(_size(ax) if ax else 1 for ax in cats[:g]),
                                   "grid": [cats[g][0][2], cats[g][1][2]]}
                new = (atom,)
            else:
                new = (_fresh("U", shape[dim]),)
        elif not any(_spatial(ax) for ax in cats):
            new = (_fresh("C", shape[dim]),)  # channel concatenation (Inception, DenseNet)
        else:
            new = (_fresh("U", shape[dim]),)
        return tuple(rest[:dim]) + (new,) + tuple(rest[dim:])

    def module_rule(self, node, m, shape):
        src = node.args[0] if node.args else node.kwargs.get("query", node.kwargs.get("input"))
        d = self.get(src)
        if isinstance(m, nn.MultiheadAttention):
            if d is None:
                return None
            batch_first = getattr(m, "batch_first", False)
            if not batch_first:
                return None
            return [_last_axis_out(d, self.shape(src), True), None]
        if shape is None:
            return None
        if isinstance(m, _SPATIAL_MODULES):
            return _spatial_out(d, shape)
        if isinstance(m, _CHANNEL_MAPS):
            return d if d is not None and classify(d)["layout"] == "NCHW" and self.shape(src) == shape \
                else _unknown(shape)
        if isinstance(m, nn.Linear):
            return _last_axis_out(d, shape, False)
        if isinstance(m, nn.LayerNorm):
            return _last_axis_out(d, shape, True)
        if isinstance(m, nn.Flatten):
            return reshape(d, shape) if d is not None else _unknown(shape)
        return self._elementwise(node, shape)


def graph_layouts(gm: torch.fx.GraphModule) -> Propagator:
    """Atom descriptions of every node of `gm` (after ShapeProp): `.desc`, and the sets `.from_input` (values that
    depend on the input: only those can be taps) and `.non_map` (not maps: windows, or computed from them by ops the
    rules do not know, such as attention inside windows)."""
    p = Propagator(gm)
    p.run()
    return p


# ---------------------------------------------------------------------------------------------------------------
# Shape probe
# ---------------------------------------------------------------------------------------------------------------

def probe_sizes(h: int, w: int) -> List[Tuple[Tuple[int, int], Tuple[int, int]]]:
    """Pairs of second input sizes: the first changes only the height, the second only the width."""
    return [((2 * h, w), (h, 2 * w)), ((h + h // 2, w), (h, w + w // 2))]


def probe_axes(first: Sequence[int], by_h: Sequence[int], by_w: Sequence[int]) -> dict:
    """Which axes (without batch) of a tap change with the input's height only, its width only, both, or neither."""
    out = {"H": [], "W": [], "HW": [], "fixed": []}
    for i, (a, bh, bw) in enumerate(zip(first, by_h, by_w)):
        key = {(True, False): "H", (False, True): "W", (True, True): "HW", (False, False): "fixed"}[(a != bh, a != bw)]
        out[key].append(i)
    return out


def layout_from_probe(axes: Optional[dict], rank: int) -> Optional[str]:
    """The layout the probe alone shows (None: it does not decide)."""
    if axes is None:
        return None
    if rank == 4 and axes["H"] == [1] and axes["W"] == [2] and axes["fixed"] == [0]:
        return "NCHW"
    if rank == 4 and axes["H"] == [0] and axes["W"] == [1] and axes["fixed"] == [2]:
        return "NHWC"
    if rank == 3 and axes["HW"] == [0] and axes["fixed"] == [1]:
        return "tokens"
    if rank == 4 and (axes["HW"] or axes["H"] or axes["W"]):
        return "other"
    return None
