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
    """With the per-pair check out of the way, the verification itself refuses a wrong fold (float32 maps differ, and
    the float64 judgement finds the saved weights are not the rounding of the exact fold)."""
    import export
    import test_export
    right, check = fold.folded_conv, fold._pair_check

    def off_by_a_little(conv, scale, shift):
        return right(conv, scale, shift + 0.05)

    fold.folded_conv = off_by_a_little
    fold._pair_check = lambda *args: None
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
        fold.folded_conv, fold._pair_check = right, check
    assert "differ" in message or "float64" in message or "fold" in message, message


def test_a_wrong_fold_is_kept_unfolded_by_the_pair_check():
    """The first defence: each pair is checked on its actual activations before it is folded."""
    right = fold.folded_conv
    fold.folded_conv = lambda conv, scale, shift: right(conv, scale, shift + 0.05)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            manifest = do_export(Path(tmp) / "tiny")
    finally:
        fold.folded_conv = right
    assert manifest["provenance"]["batchNormsFolded"] == 0
    assert len(manifest["provenance"]["batchNormsKeptUnfolded"]) == PAIRS
    assert all("off by" in why for why in manifest["provenance"]["batchNormsKeptUnfoldedWhy"])


def test_batchnorm_with_a_tiny_scale_relative_to_its_shift_is_kept():
    """|scale| 1e-4 is far above the absolute limit (1e-6), but next to a shift of 50 recovering the convolution's
    output as (y - shift) / scale would lose ~eps32 * 5e5 = 3e-2 of it: that pair stays unfolded, and is named."""
    def tiny_scale(model):
        with torch.no_grad():
            bn = model.stage[0].bn1
            scale = 1e-4
            bn.weight[2] = scale * float(torch.sqrt(bn.running_var[2] + bn.eps))
            bn.bias[2] = 50.0 + float(bn.running_mean[2]) * scale
        return model

    import test_export
    original = test_export.tiny_model
    test_export.tiny_model = lambda: tiny_scale(original())
    try:
        with tempfile.TemporaryDirectory() as tmp:
            manifest = do_export(Path(tmp) / "tiny")
            unfolded = do_export(Path(tmp) / "plain", fold_batch_norm=False)
            a = torch.jit.load(str(Path(tmp) / "tiny" / "model.pt")).eval()
            b = torch.jit.load(str(Path(tmp) / "plain" / "model.pt")).eval()
    finally:
        test_export.tiny_model = original
    prov = manifest["provenance"]
    assert prov["batchNormsKeptUnfolded"] == ["stage.0.bn1"], prov["batchNormsKeptUnfoldedWhy"]
    assert "tiny relative to |shift|" in prov["batchNormsKeptUnfoldedWhy"][0]
    assert prov["batchNormsFolded"] == PAIRS - 1
    assert unfolded["provenance"]["batchNormsKeptUnfolded"] == []
    # The conv tap before the kept BatchNorm returns the convolution's output exactly as the unfolded export does.
    x = torch.randn((2,) + SHAPE, generator=torch.Generator().manual_seed(11))
    tap = {n: t for t in manifest["taps"] for n in t["names"]}["stage.0.conv1"]
    for got, want in zip(_tap_pass(a, x, tap), _tap_pass(b, x, tap)):
        assert float((got - want).abs().max()) / max(1.0, float(want.abs().max())) < 1e-5


def test_fold_with_the_old_absolute_limit_would_lose_the_conv_output():
    """Why the relative rule: folding that pair anyway, the recovered convolution output is visibly off."""
    torch.manual_seed(2)
    conv, bn = nn.Conv2d(3, 4, 3, padding=1), nn.BatchNorm2d(4).eval()
    with torch.no_grad():
        bn.weight.fill_(1e-4)
        bn.bias.fill_(50.0)
    scale, shift = fold.batch_norm_affine(bn)
    merged = fold.folded_conv(conv, scale, shift)
    x = torch.randn(1, 3, 8, 8)
    with torch.no_grad():
        c = conv(x)
        recovered = (merged(x) - shift.float().view(1, -1, 1, 1)) / scale.float().view(1, -1, 1, 1)
    assert float((recovered - c).abs().max()) / float(c.abs().max()) > 1e-3
    assert fold._pair_check(conv, merged, bn, scale, shift, x) is not None
    assert fold._pair_check(conv, merged, bn, scale, shift, None) is None  # the absolute limit alone lets it pass


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


def test_folded_export_keeps_the_batchnorm_values_and_its_tap_follows_them():
    """The sanity check's contract (provenance.batchNormFolds): the unfolded export's parameters, in its order, and a
    tap at a folded convolution's output that reads scale and shift from the kept BatchNorm values at run time."""
    with tempfile.TemporaryDirectory() as tmp:
        folded, plain = _export_both(tmp)
        pairs = folded["provenance"]["batchNormFolds"]
        assert [p["batchNorm"] for p in pairs] == ["stem.1", "stage.0.bn1", "stage.0.bn2", "stage.1.bn1",
                                                   "stage.1.bn2", "head.1"]
        assert [p["convBias"] for p in pairs] == [False] * 5 + [True]
        assert plain["provenance"]["batchNormFolds"] == []
        a = torch.jit.load(str(Path(tmp) / "folded" / "model.pt")).eval()
        b = torch.jit.load(str(Path(tmp) / "plain" / "model.pt")).eval()
        hidden = {f"net.{p['conv']}.bias" for p in pairs if not p["convBias"]}
        hidden |= {f"net.{p['batchNorm']}.{s}" for p in pairs for s in ("running_mean", "running_var")}
        names = lambda m: [n for n, _ in m.named_parameters() if not n.startswith("tail.")]  # noqa: E731
        assert [n for n in names(a) if n not in hidden] == names(b)
        # Randomise stage.0.bn1 in the folded module as the engine does: the logical conv weight W = W' / scale,
        # new gamma and beta, W' = W * scale'. The tap at the conv's own output must still be the conv's output.
        pa = dict(a.named_parameters())
        with torch.no_grad():
            gamma, beta = pa["net.stage.0.bn1.weight"], pa["net.stage.0.bn1.bias"]
            mean, var = pa["net.stage.0.bn1.running_mean"], pa["net.stage.0.bn1.running_var"]
            scale, _ = fold.runtime_affine(gamma, beta, mean, var, pairs[1]["eps"])
            w = pa["net.stage.0.conv1.weight"] / scale.view(-1, 1, 1, 1)
            gamma.copy_(torch.randn(8, generator=torch.Generator().manual_seed(5)))
            beta.copy_(torch.randn(8, generator=torch.Generator().manual_seed(6)))
            scale, shift = fold.runtime_affine(gamma, beta, mean, var, pairs[1]["eps"])
            pa["net.stage.0.conv1.weight"].copy_(w * scale.view(-1, 1, 1, 1))
            pa["net.stage.0.conv1.bias"].copy_(shift)
        x = torch.randn((2,) + SHAPE, generator=torch.Generator().manual_seed(3))
        tap = {n: t for t in folded["taps"] for n in t["names"]}["stage.0.conv1"]
        got, want = _tap_pass(a, x, tap)[1], _tap_pass(b, x, tap)[1]
        assert float((got - want).abs().max()) / float(want.abs().max()) < 1e-5
