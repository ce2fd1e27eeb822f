"""forward_from (tail.py): which taps are cuts, and that running from a cut on equals running the whole network.

Run: /usr/bin/python3 -m pytest models/tools/test_tail.py
"""
import os
import sys
import tempfile
from pathlib import Path

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from test_export import SHAPE, do_export  # noqa: E402


def _export(tmp, **kwargs):
    manifest = do_export(Path(tmp) / "tiny", **kwargs)
    return manifest, torch.jit.load(str(Path(tmp) / "tiny" / "model.pt")).eval()


def test_cuts_are_the_values_the_rest_of_the_network_reads_alone():
    with tempfile.TemporaryDirectory() as tmp:
        manifest, _ = _export(tmp, fold_batch_norm=False, channels_last=False)
    cut = {n for t in manifest["taps"] if t["cut"] for n in t["names"]}
    # Stage and block outputs, the stem's output and the head: nothing computed before them is read after them.
    assert {"stem", "stage.0", "stage", "head", "stem.0"} <= cut
    # Inside a residual block the block input is still needed by the skip connection: no cut there.
    assert not {"stage.0.conv1", "stage.0.bn1", "stage.0.relu", "stage.1.conv2", "stage.1.bn2"} & cut
    assert manifest["methods"]["from"] == "forward_from"


def test_running_from_a_cut_equals_running_everything_also_with_a_channel_ablated():
    with tempfile.TemporaryDirectory() as tmp:
        manifest, model = _export(tmp)  # today's defaults: folded, channels-last
    x = torch.randn((3,) + SHAPE, generator=torch.Generator().manual_seed(7))
    cuts = [t for t in manifest["taps"] if t["cut"]]
    assert len(cuts) >= 3
    with torch.no_grad():
        for tap in cuts:
            index = torch.tensor(tap["index"])
            logits, act = model.forward_tap(x, index, torch.zeros([3] + tap["shape"]))
            assert torch.allclose(model.forward_from(index, act), logits, atol=1e-5), tap["names"]
            # Ablation-CAM's question: the logits with channel 1 zeroed, through the tap's probe and from the cut on.
            probe = torch.zeros_like(act)
            probe[:, 1] = -act[:, 1]
            ablated = act.clone()
            ablated[:, 1] = 0
            want, _ = model.forward_tap(x, index, probe)
            assert torch.allclose(model.forward_from(index, ablated), want, atol=1e-5), tap["names"]


def test_forward_from_refuses_a_tap_that_is_not_a_cut():
    with tempfile.TemporaryDirectory() as tmp:
        manifest, model = _export(tmp)
    inner = next(t for t in manifest["taps"] if not t["cut"])
    try:
        model.forward_from(torch.tensor(inner["index"]), torch.zeros([1] + inner["shape"]))
    except Exception as e:
        assert "not a cut" in str(e)
    else:
        raise AssertionError("forward_from ran from a tap that does not cut the graph")
