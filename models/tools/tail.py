"""Entry points from a tap on: `forward_from(tap, activation)` for taps that cut the graph (see models/FORMAT.md).

Ablation-CAM needs the class score with one channel of the tapped activation zeroed, once per channel. Through
`forward_tap` each of those runs the whole network; from the tap on, only the layers after it run (at a ResNet's
`layer4`: average pooling and the classifier). That is only well defined where the tapped value is all the rest of
the network reads: a tap is a *cut* when no value computed before it (other than parameters) is used after it, e.g.
a ResNet stage's output but not a convolution inside a residual block, whose block input is still needed. The graph
is split at the cuts into segments, each mapping one cut's value to the next (the last to the logits), and
`forward_from` runs the segments from the given cut on.
"""
from typing import Dict, List

import torch
import torch.fx
from torch import Tensor, nn


def cut_taps(gm: torch.fx.GraphModule, tap_nodes: List[torch.fx.Node], skip=()) -> List[int]:
    """Indices of the taps whose node is a cut of `gm`'s graph (taps in `skip` never are)."""
    nodes = list(gm.graph.nodes)
    order = {n: i for i, n in enumerate(nodes)}
    last_use = {n: max([order[u] for u in n.users], default=order[n]) for n in nodes}
    # live_after[i]: the latest use of anything computed at or before position i, parameters aside
    live_after, latest = [], -1
    for n in nodes:
        if n.op not in ("get_attr", "output"):
            latest = max(latest, last_use[n])
        live_after.append(latest)
    cuts = []
    for i, node in enumerate(tap_nodes):
        p = order[node]
        before = live_after[p - 1] if p > 0 else -1
        if i not in skip and before <= p:
            cuts.append(i)
    return cuts


def _segment(gm: torch.fx.GraphModule, nodes: List[torch.fx.Node], start: torch.fx.Node, end: torch.fx.Node):
    """A graph module computing `end`'s value from `start`'s, from the nodes strictly after start up to end."""
    graph = torch.fx.Graph()
    env: Dict[torch.fx.Node, torch.fx.Node] = {start: graph.placeholder("h")}

    def value(a: torch.fx.Node) -> torch.fx.Node:
        if a not in env:
            if a.op != "get_attr":
                raise ValueError(f"{a} is used after a cut it precedes")
            env[a] = graph.get_attr(a.target)
        return env[a]

    inside = False
    for n in nodes:
        if n is start:
            inside = True
            continue
        if inside and n.op != "output":
            env[n] = graph.node_copy(n, value)
        if n is end:
            break
    graph.output(env[end])
    return torch.fx.GraphModule(gm, graph)


class Tail(nn.Module):
    """The segments between consecutive cuts; segment i maps the value at tap cuts[i] to the next cut's (or logits)."""

    cuts: List[int]

    def __init__(self, segments: List[nn.Module], cuts: List[int]):
        super().__init__()
        self.segments = nn.ModuleList(segments)
        self.cuts = cuts

    def forward(self, t: int, h: Tensor) -> Tensor:
        for i, segment in enumerate(self.segments):
            if t <= self.cuts[i]:
                h = segment(h)
        return h


def build_tail(gm: torch.fx.GraphModule, tap_nodes: List[torch.fx.Node], cuts: List[int]) -> Tail:
    """The Tail of `gm` for these cut taps; call before the tap rewrite changes the graph."""
    nodes = list(gm.graph.nodes)
    logits = next(n for n in nodes if n.op == "output").args[0]
    ends = [tap_nodes[i] for i in cuts[1:]] + [logits]
    segments = [_segment(gm, nodes, tap_nodes[i], end) for i, end in zip(cuts, ends)]
    return Tail(segments, list(cuts))
