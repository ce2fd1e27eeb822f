"""BatchNorm folding (fold.py): the folded export computes the same logits, activations and gradients at every tap.

Run: /usr/bin/python3 -m pytest models/tools/test_fold.py
"""
import json
import os
import sys
import tempfile
from pathlib import Path

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fold  # noqa: E402
from test_export import SHAPE, do_export, tiny_model  # noqa: E402

PAIRS = 6  # stem, two per block, head (whose conv has a bias)


def _export_both(tmp, **kwargs):
    folded = do_export(Path(tmp) / "folded", **kwargs)
    plain = do_export(Path(tmp) / "plain", fold_batch_norm=False, **kwargs)
    return folded, plain


def _tap_pass(module, x, tap):
    """Logits, activation, probe gradient and input gradient of class 1 through forward_tap at `tap`."""
    x = x.clone().requires_grad_(True)
    probe = torch.zeros([x.shape[0]] + tap["shape"], requires_grad=True)
    logits, act = module.forward_tap(x, torch.tensor(tap["index"]), probe)
    logits[:, 1].sum().backward()
    return logits.detach(), act.detach(), probe.grad, x.grad


def test_folded_export_matches_the_unfolded_one_at_every_tap():
    with tempfile.TemporaryDirectory() as tmp:
        folded, plain = _export_both(tmp)
        assert folded["provenance"]["batchNormsFolded"] == PAIRS
        assert plain["provenance"]["batchNormsFolded"] == 0
        # Same names, indices and shapes: users see no difference. A folded convolution's own output is not offered
        # as a start for forward_from (tail.py), so the folded export has at most the plain one's cuts.
        strip = lambda taps: [{k: v for k, v in t.items() if k != "cut"} for t in taps]  # noqa: E731
        assert strip(folded["taps"]) == strip(plain["taps"])
        assert {t["index"] for t in folded["taps"] if t["cut"]} <= {t["index"] for t in plain["taps"] if t["cut"]}
        a = torch.jit.load(str(Path(tmp) / "folded" / "model.pt")).eval()
        b = torch.jit.load(str(Path(tmp) / "plain" / "model.pt")).eval()
        assert not any(".bn" in name for name, _ in a.named_buffers())  # the BatchNorms are gone...
        assert any(".bn" in name for name, _ in b.named_buffers())      # ...and were there without folding
        x = torch.randn((2,) + SHAPE, generator=torch.Generator().manual_seed(3))
        by_name = {n: t for t in folded["taps"] for n in t["names"]}
        for name in ("stem.0", "stem.1", "stage.0.conv1", "stage.0.bn1", "stage.1.conv2", "head.0", "head.1",
                     "stage"):
            tap = by_name[name]
            for got, want, what in zip(_tap_pass(a, x, tap), _tap_pass(b, x, tap),
                                       ("logits", "activation", "probe gradient", "input gradient")):
                scale = max(1.0, float(want.abs().max()))
                assert float((got - want).abs().max()) / scale < 1e-5, (name, what)


def test_folding_an_eval_batchnorm_is_exact_in_float64():
    torch.manual_seed(1)
    conv, bn = nn.Conv2d(3, 4, 3, padding=1).double(), nn.BatchNorm2d(4).double().eval()
    with torch.no_grad():
        bn.running_mean.uniform_(-1, 1)
        bn.running_var.uniform_(0.2, 3)
        bn.weight.uniform_(-2, 2)
        bn.bias.uniform_(-1, 1)
    scale, shift = fold.batch_norm_affine(bn)
    merged = fold.folded_conv(conv, scale, shift)
    x = torch.randn(2, 3, 8, 8, dtype=torch.float64)
    with torch.no_grad():
        assert float((merged(x) - bn(conv(x))).abs().max()) < 1e-12
        assert float((scale * conv(x)[:, :, 0, 0] + shift - bn(conv(x))[:, :, 0, 0]).abs().max()) < 1e-12


def test_batchnorm_with_a_zero_scale_channel_is_kept():
    def zero_channel(model):
        with torch.no_grad():
            model.stage[1].bn2.weight[3] = 0.0  # as zero-initialised residual branches have: no inverse exists
        return model

    import test_export
    original = test_export.tiny_model
    test_export.tiny_model = lambda: zero_channel(original())
    try:
        with tempfile.TemporaryDirectory() as tmp:
            manifest = do_export(Path(tmp) / "tiny")
            saved = json.loads((Path(tmp) / "tiny" / "manifest.json").read_text())
    finally:
        test_export.tiny_model = original
    assert manifest["provenance"]["batchNormsFolded"] == PAIRS - 1
    assert saved["verification"]["maxAbsSaliencyDiff"] <= 1e-4


def test_a_wrong_fold_is_refused():
    import export
    import test_export
    right = fold.folded_conv

    def off_by_a_little(conv, scale, shift):
        return right(conv, scale, shift + 0.05)

    fold.folded_conv = off_by_a_little
    try:
        with tempfile.TemporaryDirectory() as tmp:
            try:
                test_export.do_export(Path(tmp) / "tiny")
            except export.VerificationError as e:
                message = str(e)
            else:
                raise AssertionError("an export with a wrong BatchNorm fold was accepted")
            assert os.listdir(tmp) == []
    finally:
        fold.folded_conv = right
    assert "differ" in message or "float64" in message, message


def test_channels_last_export_computes_the_same_at_every_tap():
    with tempfile.TemporaryDirectory() as tmp:
        cl = do_export(Path(tmp) / "cl")
        plain = do_export(Path(tmp) / "plain", channels_last=False)
        assert cl["provenance"]["memoryFormat"] == "channels_last"
        assert plain["provenance"]["memoryFormat"] == "contiguous"
        assert cl["taps"] == plain["taps"]
        a = torch.jit.load(str(Path(tmp) / "cl" / "model.pt")).eval()
        b = torch.jit.load(str(Path(tmp) / "plain" / "model.pt")).eval()
        conv = dict(a.named_parameters())["net.stage.0.conv1.weight"]
        assert conv.is_contiguous(memory_format=torch.channels_last) and not conv.is_contiguous()
        x = torch.randn((2,) + SHAPE, generator=torch.Generator().manual_seed(5))
        for tap in cl["taps"]:
            for got, want, what in zip(_tap_pass(a, x, tap), _tap_pass(b, x, tap),
                                       ("logits", "activation", "probe gradient", "input gradient")):
                assert got.shape == want.shape, (tap["names"][0], what)
                scale = max(1.0, float(want.abs().max()))
                assert float((got - want).abs().max()) / scale < 1e-5, (tap["names"][0], what)
