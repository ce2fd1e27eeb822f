"""Layer taps for TorchScript export (see models/FORMAT.md, "forward_tap").

The model is traced with torch.fx. Every module call (leaf or container) is recorded by module path; each distinct
graph node whose output is a 4-D tensor becomes one tap. The graph is then rewritten so that, at the tap chosen at
run time, the activation A is replaced by A + probe, and the (possibly replaced) activation is returned next to the
logits. The helpers below are called from the rewritten graph and are compiled by TorchScript, hence the annotations.
"""
import contextlib
import copy
import dis
import inspect
import io
import operator
from typing import Dict, List, Optional, Tuple

import torch
import torch.fx
import torch.nn.functional as F
from torch import Tensor, nn
from torch.fx.passes.shape_prop import ShapeProp, TensorMetadata

import layouts


# ---------------------------------------------------------------------------------------------------------------
# Helpers compiled into the TorchScript graph
# ---------------------------------------------------------------------------------------------------------------

def _tap_index(tap: Tensor, count: int) -> int:
    t = int(tap.item())
    if t < -1 or t >= count:
        raise RuntimeError("forward_tap: tap index out of range (valid: -1 .. number of taps - 1)")
    return t


def _tap(a: Tensor, i: int, t: int, probe: Tensor) -> Tensor:
    if i == t:
        # An exact shape match is required: a broadcastable probe would silently sum the gradient over the batch.
        if probe.size() != a.size():
            raise RuntimeError("forward_tap: probe must have exactly the shape of the tapped activation (N, then the "
                               "tap's shape from the manifest)")
        return a + probe
    return a


def _tap_folded(y: Tensor, i: int, t: int, probe: Tensor, gamma: Tensor, beta: Tensor, mean: Tensor, var: Tensor,
                eps: float) -> Tuple[Tensor, Tensor]:
    # y = scale * c + shift is a folded BatchNorm's output; the tap is at c, the convolution's output (fold.py).
    # (scale, shift) come from the BatchNorm's values kept in its FoldedBatchNorm (as fold.runtime_affine), read at
    # run time so that the recovery follows them when the sanity check randomises the pair.
    # Returns (what flows on, the tapped activation).
    if i == t:
        if probe.size() != y.size():
            raise RuntimeError("forward_tap: probe must have exactly the shape of the tapped activation (N, C, H, W)")
        scale = (gamma / torch.sqrt(var + eps)).view(1, -1, 1, 1)
        shift = beta.view(1, -1, 1, 1) - mean.view(1, -1, 1, 1) * scale
        c = (y - shift) / scale + probe
        return c * scale + shift, c
    return y, y


def _pick(a: Tensor, i: int, t: int, prev: Tensor) -> Tensor:
    if i == t:
        return a
    return prev


class TappedModel(nn.Module):
    """What is scripted and saved: `forward` returns logits, `forward_tap` logits and the tapped activation,
    `forward_from` the logits computed from a cut tap's activation on (tail.py; an empty Tail has no cuts)."""

    def __init__(self, net: torch.fx.GraphModule, tail: nn.Module):
        super().__init__()
        self.net = net
        self.tail = tail

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x, torch.tensor(-1, dtype=torch.long), torch.zeros(0))[0]

    @torch.jit.export
    def forward_tap(self, x: Tensor, tap: Tensor, probe: Tensor) -> Tuple[Tensor, Tensor]:
        return self.net(x, tap, probe)

    @torch.jit.export
    def forward_from(self, tap: Tensor, activation: Tensor) -> Tensor:
        t = int(tap.item())
        if t not in self.tail.cuts:
            raise RuntimeError("forward_from: the tap is not a cut of the graph (see the taps marked cut)")
        return self.tail(t, activation)


# ---------------------------------------------------------------------------------------------------------------
# In-place removal
# ---------------------------------------------------------------------------------------------------------------

_INPLACE_FUNCTIONS = {
    torch.relu_: torch.relu,
    F.relu_: F.relu,
    torch.sigmoid_: torch.sigmoid,
    torch.tanh_: torch.tanh,
    F.elu_: F.elu,
    F.leaky_relu_: F.leaky_relu,
    F.hardtanh_: F.hardtanh,
    operator.iadd: operator.add,
    operator.isub: operator.sub,
    operator.imul: operator.mul,
    operator.itruediv: operator.truediv,
}


def disable_inplace_modules(model: nn.Module) -> int:
    """Sets every module's `inplace` flag to False (same maths; in-place ops would corrupt tapped activations)."""
    changed = 0
    for m in model.modules():
        if isinstance(getattr(m, "inplace", None), bool) and m.inplace:
            m.inplace = False
            changed += 1
    return changed


def _turn_off_inplace_argument(node: torch.fx.Node) -> bool:
    """F.relu(x, inplace=True), F.hardtanh(x, -1, 1, True): rewrite the call with inplace=False."""
    if node.kwargs.get("inplace") is True:
        node.kwargs = dict(node.kwargs, inplace=False)
        return True
    if node.op != "call_function" or not callable(node.target):
        return False
    try:
        bound = inspect.signature(node.target).bind(*node.args, **node.kwargs)
    except (TypeError, ValueError):
        return False
    if bound.arguments.get("inplace") is not True:
        return False
    bound.arguments["inplace"] = False
    node.args, node.kwargs = tuple(bound.args), dict(bound.kwargs)
    return True


def disable_inplace_graph(graph: torch.fx.Graph) -> int:
    """Rewrites in-place calls recorded in an fx graph (inplace=True arguments, relu_, x.add_(...)) out of place.

    The eager model still runs them in place, so the graph keeps their meaning: later uses of the mutated tensor
    are redirected to the result (the functional form of `x.add_(y)` without assignment).
    """
    order = {n: i for i, n in enumerate(graph.nodes)}
    changed = 0
    for node in list(graph.nodes):
        if node.op not in ("call_function", "call_method"):
            continue
        inplace = _turn_off_inplace_argument(node)
        if node.op == "call_function" and node.target in _INPLACE_FUNCTIONS:
            node.target = _INPLACE_FUNCTIONS[node.target]
            inplace = True
        elif (node.op == "call_method" and node.target.endswith("_") and not node.target.endswith("__")
              and hasattr(torch.Tensor, node.target[:-1])):
            node.target = node.target[:-1]
            inplace = True
        if not inplace:
            continue
        changed += 1
        mutated = node.args[0] if node.args else None
        if isinstance(mutated, torch.fx.Node):
            for user in list(mutated.users):
                if user is not node and order[user] > order[node]:
                    user.replace_input_with(mutated, node)
    return changed


# ---------------------------------------------------------------------------------------------------------------
# Tracing with module names
# ---------------------------------------------------------------------------------------------------------------

class TraceFailure(ValueError):
    """torch.fx could not trace the model: the message names the module and the construct, and the way out."""


class NamingTracer(torch.fx.Tracer):
    """Records, for every module call (leaf or container), its path and the value it returned.

    `leaf_modules`: module paths (as `named_modules()` prints them) or classes not to trace into: they stay one call
    in the graph (TorchScript compiles them as they are) and their output can still be a tap.
    """

    def __init__(self, leaf_modules=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls: Dict[str, int] = {}
        self.records: List[Tuple[str, object]] = []  # (name, returned value), in completion order
        self.leaf_paths = {m for m in leaf_modules if isinstance(m, str)}
        self.leaf_types = tuple(m for m in leaf_modules if isinstance(m, type))
        self.stack: List[str] = []

    def is_leaf_module(self, m: nn.Module, module_qualified_name: str) -> bool:
        if module_qualified_name in self.leaf_paths or (self.leaf_types and isinstance(m, self.leaf_types)):
            return True
        return super().is_leaf_module(m, module_qualified_name)

    def call_module(self, m, forward, args, kwargs):
        path = self.path_of_module(m)
        count = self.calls.get(path, 0) + 1
        self.calls[path] = count
        name = path if count == 1 else f"{path}#{count}"
        self.stack.append(name)
        try:
            out = super().call_module(m, forward, args, kwargs)
        except Exception as e:
            if not hasattr(e, "_tap_module"):  # the innermost module being traced when it failed
                e._tap_module = (name, type(m).__module__ + "." + type(m).__qualname__)
            raise
        finally:
            self.stack.pop()
        self.records.append((name, out))
        return out

    def trace(self, root, concrete_args=None):
        """torch 1.13 recognises `a, b, c, d = x.shape` (and `x, _ = attention(...)`) from the calling frame's
        bytecode by `f_lasti // 2`, which is wrong from Python 3.11 on (inline caches): while tracing, Proxy.__iter__
        finds the instruction by its offset instead."""
        original = torch.fx.proxy.Proxy.__iter__
        torch.fx.proxy.Proxy.__iter__ = _proxy_iter
        try:
            return super().trace(root, concrete_args)
        finally:
            torch.fx.proxy.Proxy.__iter__ = original


def _proxy_iter(self):
    frame = inspect.currentframe()
    caller = frame.f_back if frame is not None else None
    if caller is not None:
        for inst in dis.get_instructions(caller.f_code):
            if inst.offset == caller.f_lasti:
                if inst.opname == "UNPACK_SEQUENCE":
                    return (self[i] for i in range(inst.argval))
                break
    return self.tracer.iter(self)


def _meta_shape(node: torch.fx.Node):
    meta = node.meta.get("tensor_meta")
    if isinstance(meta, TensorMetadata):
        return list(meta.shape)
    return None


class LayoutError(ValueError):
    """A tap's layout cannot be decided (or the graph and the shape probe disagree): the export is refused."""


LAYOUTS = ("NCHW", "NHWC", "tokens")


def _probe_shapes(gm: torch.fx.GraphModule, example: Tensor):
    """(node name -> output shape) at two more input sizes, one with only the height changed, one with only the
    width, run on the meta device (no arithmetic). None when the model accepts no other size (ViT, MaxViT)."""
    h, w = int(example.shape[2]), int(example.shape[3])
    try:
        meta = copy.deepcopy(gm).to("meta")
    except Exception:
        return None
    for pair in layouts.probe_sizes(h, w):
        shapes = []
        for h2, w2 in pair:
            x2 = torch.empty((example.shape[0], example.shape[1], h2, w2), device="meta")
            try:
                with torch.no_grad(), contextlib.redirect_stderr(io.StringIO()):  # ShapeProp prints the traceback
                    ShapeProp(meta).propagate(x2)
            except Exception:
                break
            shapes.append({n.name: _meta_shape(n) for n in meta.graph.nodes})
        if len(shapes) == 2:
            return shapes
    return None


def _decide_layout(name: str, node, desc, probe, override: Optional[str], non_map=False) -> Optional[dict]:
    """The tap's layout fields, None when its output is not a map (windows, split grids), or LayoutError."""
    shape = _meta_shape(node)
    rank = len(shape)
    from_graph = layouts.classify(desc)
    axes = None
    if probe is not None and all(p.get(node.name) is not None and len(p[node.name]) == rank for p in probe):
        axes = layouts.probe_axes(shape[1:], probe[0][node.name][1:], probe[1][node.name][1:])
    from_probe = layouts.layout_from_probe(axes, rank)
    if override is not None:
        if override not in LAYOUTS:
            raise LayoutError(f"tap {name!r}: layout override {override!r} is not one of {LAYOUTS}")
        if override == "tokens" and from_graph["layout"] != "tokens":
            return {"layout": "tokens", "prefixTokens": None, "grid": None}
        if override != "tokens":
            return {"layout": override}
        return from_graph
    layout = from_graph["layout"]
    if layout in LAYOUTS or layout == "other":
        if from_probe is not None and from_probe != layout:
            raise LayoutError(f"tap {name!r} {shape[1:]}: the graph says {layout} but its shape at a second input "
                              f"size says {from_probe}; refusing to guess (pass tap_layouts={{{name!r}: ...}})")
        return from_graph if layout != "other" else None
    # undecided from the graph: an op the layout rules do not know produced or fed it
    if from_probe in ("NCHW", "NHWC"):
        return {"layout": from_probe}
    if from_probe == "tokens":
        return {"layout": "tokens", "prefixTokens": None, "grid": None}
    if from_probe == "other" or non_map:
        return None
    if rank == 3:
        return None  # not known to be tokens: not offered
    raise LayoutError(
        f"tap {name!r}: its 4-D output {shape[1:]} has a layout that neither the graph (an op the layout rules in "
        f"layouts.py do not know feeds it) nor a shape probe at a second input size decides. Refusing to guess "
        f"NCHW. Pass export_package(..., tap_layouts={{{name!r}: 'NCHW' or 'NHWC'}}) (--tap-layout NAME=LAYOUT), "
        f"or mark the module that produces it a leaf.")


def trace_with_taps(model: nn.Module, example: Tensor, leaf_modules=(), tap_layouts: Optional[Dict[str, str]] = None):
    """Traces `model`, propagates shapes with `example` and returns (graph_module, taps, tap_nodes, not_maps).

    taps: list of {"index", "names" (innermost to outermost), "shape" (without the batch, in the tap's own layout),
    "layout", and for tokens "prefixTokens" and "grid"} in graph order. Module outputs of rank 3 or 4 are tapped when
    their layout is NCHW, NHWC or tokens (layouts.py); not_maps lists module outputs of rank 3 or 4 that are not
    spatial maps (MaxViT's windows), which are not taps.
    """
    tracer = NamingTracer(leaf_modules)
    try:
        graph = tracer.trace(model)
    except Exception as e:
        where = getattr(e, "_tap_module", None)
        construct = str(e).split("\n")[0][:300]
        if where is None:
            where = ("(the model's own forward)", type(model).__qualname__)
        raise TraceFailure(
            f"torch.fx cannot trace module {where[0]!r} ({where[1]}): {type(e).__name__}: {construct}. To make it "
            f"exportable: mark that module a leaf (export_package(..., leaf_modules=[{where[0]!r}]) or --leaf-module "
            f"{where[0]}; TorchScript then compiles it whole, its output can still be a tap but not its insides), "
            f"wrap the offending function with torch.fx.wrap, or rewrite it without Python control flow on tensor "
            f"values; custom models are exported from Python with export_package.") from e
    name = model.__class__.__name__
    gm = torch.fx.GraphModule(tracer.root, graph, name)
    disable_inplace_graph(gm.graph)
    gm.recompile()

    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != 1:
        raise ValueError(f"the model's forward must take exactly one tensor input, found {len(placeholders)}")
    # Batch 2 for the layout rules, so that the batch axis is not a size-1 axis a reshape could drop.
    batch = example if example.shape[0] >= 2 else torch.cat([example, example])
    with torch.no_grad():
        ShapeProp(gm).propagate(batch[:2])
    graph_info = layouts.graph_layouts(gm)
    descs = graph_info.desc
    probe = _probe_shapes(gm, batch[:2])
    tap_layouts = dict(tap_layouts or {})

    names_by_node: Dict[torch.fx.Node, List[str]] = {}
    for tap_name, value in tracer.records:
        if not isinstance(value, torch.fx.Proxy):
            continue
        node = value.node
        if node.graph is not gm.graph or node.op in ("placeholder", "output", "get_attr"):
            continue
        if node not in graph_info.from_input:  # a constant (Swin V2's position-bias MLP): no map of the image
            continue
        shape = _meta_shape(node)
        if shape is None or len(shape) not in (3, 4):
            continue
        names_by_node.setdefault(node, []).append(tap_name)

    taps, tap_nodes, not_maps = [], [], []
    for node in gm.graph.nodes:
        if node not in names_by_node:
            continue
        names = names_by_node[node]
        override = next((tap_layouts[n] for n in names if n in tap_layouts), None)
        fields = _decide_layout(names[0], node, descs.get(node), probe, override, node in graph_info.non_map)
        if fields is None:
            not_maps.extend(names)
            continue
        tap = {"index": len(taps), "names": names, "shape": _meta_shape(node)[1:]}
        tap.update(fields)
        taps.append(tap)
        tap_nodes.append(node)
    if not taps:
        raise ValueError("no module of this model returns a feature map or tokens: nothing to tap")
    return gm, taps, tap_nodes, not_maps


def spatial_size(tap: dict):
    """(h, w) of the tap's map, or None when it has none (a tokens tap whose grid is unknown)."""
    layout = tap.get("layout", "NCHW")
    if layout == "NCHW":
        return tuple(tap["shape"][1:3])
    if layout == "NHWC":
        return tuple(tap["shape"][0:2])
    if layout == "tokens" and tap.get("grid"):
        return tuple(tap["grid"])
    return None


def node_outputs(gm: torch.fx.GraphModule, x: Tensor, nodes: List[torch.fx.Node]) -> List[Tensor]:
    """Runs the (not yet rewritten) graph once and returns the values of `nodes`."""
    wanted = set(nodes)
    kept: Dict[torch.fx.Node, Tensor] = {}

    class Keeper(torch.fx.Interpreter):
        def run_node(self, n):
            out = super().run_node(n)
            if n in wanted:
                kept[n] = out.detach().clone()
            return out

    with torch.no_grad():
        Keeper(gm).run(x)
    return [kept[n] for n in nodes]


def add_tap_points(gm: torch.fx.GraphModule, tap_nodes: List[torch.fx.Node],
                   folded: Optional[Dict[int, str]] = None) -> torch.fx.GraphModule:
    """Rewrites `gm` in place to forward(x, tap, probe) -> (logits, activation) (see module docstring).

    `folded[i] = path` marks tap i as sitting before the BatchNorm at `path` that fold.py merged into its node: the
    node computes scale * c + shift and the tap must see c (scale and shift from the FoldedBatchNorm left at `path`). Several taps may share a node (a folded convolution
    carries its own tap and the BatchNorm's); they chain in index order, which is graph order.
    """
    folded = folded or {}
    graph = gm.graph
    x = next(n for n in graph.nodes if n.op == "placeholder")
    output = next(n for n in graph.nodes if n.op == "output")
    logits = output.args[0]
    if not isinstance(logits, torch.fx.Node):
        raise ValueError("the model must return a single logits tensor")
    lshape = _meta_shape(logits)
    if lshape is None or len(lshape) != 2:
        raise ValueError(f"the model must return logits shaped (N, classes), got {lshape}")

    with graph.inserting_after(x):
        tap = graph.placeholder("tap")
    with graph.inserting_after(tap):
        probe = graph.placeholder("probe")
    with graph.inserting_after(probe):
        t = graph.call_function(_tap_index, (tap, len(tap_nodes)))

    act = x
    flowing: Dict[torch.fx.Node, torch.fx.Node] = {}  # node -> the value its users read after earlier taps on it
    for i, node in enumerate(tap_nodes):
        src = flowing.get(node, node)
        # A tap chained on a node already tapped goes after that tap's pick, so the pick chain stays in order.
        anchor = act if node in flowing else src
        users = [u for u in src.users if not (u.op == "call_function" and u.target is _pick)]
        if i in folded:
            bn = folded[i]  # path of the folded BatchNorm's FoldedBatchNorm (fold.py)
            last = anchor
            attrs = []
            for attr in ("weight", "bias", "running_mean", "running_var"):
                with graph.inserting_after(last):
                    last = graph.get_attr(f"{bn}.{attr}")
                attrs.append(last)
            with graph.inserting_after(last):
                pair = graph.call_function(_tap_folded, (src, i, t, probe, *attrs, gm.get_submodule(bn).eps))
            with graph.inserting_after(pair):
                on = graph.call_function(operator.getitem, (pair, 0))
            with graph.inserting_after(on):
                a = graph.call_function(operator.getitem, (pair, 1))
        else:
            with graph.inserting_after(anchor):
                on = a = graph.call_function(_tap, (src, i, t, probe))
        for user in users:
            user.replace_input_with(src, on)
        flowing[node] = on
        with graph.inserting_after(a):
            act = graph.call_function(_pick, (a, i, t, act))
    # The output node was among the users when the logits node itself was tapped; logits are 2-D so it is not.
    output.args = ((output.args[0], act),)
    output.type = Tuple[Tensor, Tensor]  # codegen copies the original `-> Tensor` annotation otherwise
    graph.lint()
    gm.recompile()
    return gm
