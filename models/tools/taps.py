"""Layer taps for TorchScript export (see models/FORMAT.md, "forward_tap").

The model is traced with torch.fx. Every module call (leaf or container) is recorded by module path; each distinct
graph node whose output is a 4-D tensor becomes one tap. The graph is then rewritten so that, at the tap chosen at
run time, the activation A is replaced by A + probe, and the (possibly replaced) activation is returned next to the
logits. The helpers below are called from the rewritten graph and are compiled by TorchScript, hence the annotations.
"""
import inspect
import operator
from typing import Dict, List, Optional, Tuple

import torch
import torch.fx
import torch.nn.functional as F
from torch import Tensor, nn
from torch.fx.passes.shape_prop import ShapeProp, TensorMetadata


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
            raise RuntimeError("forward_tap: probe must have exactly the shape of the tapped activation (N, C, H, W)")
        return a + probe
    return a


def _tap_folded(y: Tensor, i: int, t: int, probe: Tensor, scale: Tensor, shift: Tensor) -> Tuple[Tensor, Tensor]:
    # y = scale * c + shift is a folded BatchNorm's output; the tap is at c, the convolution's output (fold.py).
    # Returns (what flows on, the tapped activation).
    if i == t:
        if probe.size() != y.size():
            raise RuntimeError("forward_tap: probe must have exactly the shape of the tapped activation (N, C, H, W)")
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

class NamingTracer(torch.fx.Tracer):
    """Records, for every module call (leaf or container), its path and the value it returned."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calls: Dict[str, int] = {}
        self.records: List[Tuple[str, object]] = []  # (name, returned value), in completion order

    def call_module(self, m, forward, args, kwargs):
        path = self.path_of_module(m)
        count = self.calls.get(path, 0) + 1
        self.calls[path] = count
        name = path if count == 1 else f"{path}#{count}"
        out = super().call_module(m, forward, args, kwargs)
        self.records.append((name, out))
        return out


def _meta_shape(node: torch.fx.Node):
    meta = node.meta.get("tensor_meta")
    if isinstance(meta, TensorMetadata):
        return list(meta.shape)
    return None


def trace_with_taps(model: nn.Module, example: Tensor):
    """Traces `model`, propagates shapes with `example` and returns (graph_module, taps, tap_nodes).

    taps: list of {"index", "names" (innermost to outermost), "shape" [C, H, W]} in graph order.
    """
    tracer = NamingTracer()
    graph = tracer.trace(model)
    name = model.__class__.__name__
    gm = torch.fx.GraphModule(tracer.root, graph, name)
    disable_inplace_graph(gm.graph)
    gm.recompile()

    placeholders = [n for n in gm.graph.nodes if n.op == "placeholder"]
    if len(placeholders) != 1:
        raise ValueError(f"the model's forward must take exactly one tensor input, found {len(placeholders)}")
    with torch.no_grad():
        ShapeProp(gm).propagate(example)

    names_by_node: Dict[torch.fx.Node, List[str]] = {}
    for tap_name, value in tracer.records:
        if not isinstance(value, torch.fx.Proxy):
            continue
        node = value.node
        if node.graph is not gm.graph or node.op in ("placeholder", "output", "get_attr"):
            continue
        shape = _meta_shape(node)
        if shape is None or len(shape) != 4:
            continue
        names_by_node.setdefault(node, []).append(tap_name)

    taps, tap_nodes = [], []
    for node in gm.graph.nodes:
        if node in names_by_node:
            taps.append({"index": len(taps), "names": names_by_node[node], "shape": _meta_shape(node)[1:]})
            tap_nodes.append(node)
    if not taps:
        raise ValueError("no module of this model returns a 4-D feature map: nothing to tap")
    return gm, taps, tap_nodes


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
                   folded: Optional[Dict[int, Tuple[Tensor, Tensor]]] = None) -> torch.fx.GraphModule:
    """Rewrites `gm` in place to forward(x, tap, probe) -> (logits, activation) (see module docstring).

    `folded[i] = (scale, shift)` marks tap i as sitting before a BatchNorm that fold.py merged into its node: the
    node computes scale * c + shift and the tap must see c. Several taps may share a node (a folded convolution
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
            scale, shift = folded[i]
            gm.register_buffer(f"tap_scale_{i}", scale)
            gm.register_buffer(f"tap_shift_{i}", shift)
            with graph.inserting_after(anchor):
                s_node = graph.get_attr(f"tap_scale_{i}")
            with graph.inserting_after(s_node):
                b_node = graph.get_attr(f"tap_shift_{i}")
            with graph.inserting_after(b_node):
                pair = graph.call_function(_tap_folded, (src, i, t, probe, s_node, b_node))
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
