"""forward_attention (attention.py): ViT attention maps and their gradients, verified against the eager model.

Run: /usr/bin/python3 -m pytest models/tools/test_attention.py
"""
import copy
import os
import sys
import tempfile
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attention  # noqa: E402
import export  # noqa: E402
from test_export import do_export  # noqa: E402
from verify import VerificationError  # noqa: E402


def tiny_vit(seed=0):
    torch.manual_seed(seed)
    model = torchvision.models.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2,
                                                 hidden_dim=32, mlp_dim=64, num_classes=5)
    with torch.no_grad():
        model.heads.head.weight.normal_(0.0, 0.5)
    return model.eval()


def _export(model, out):
    return export.export_package(model, out, model_id="vit", name="vit", description="", labels=list("abcde"),
                                 input_shape=(3, 32, 32))


def softmax_gradients(model, x, cls):
    """d logit / d A per layer from torch's own MultiheadAttention: its softmax output, captured during the call."""
    captured = []
    real = F.softmax

    def spy(t, *a, **k):
        y = real(t, *a, **k)
        y.retain_grad()
        captured.append(y)
        return y
    F.softmax = spy
    try:
        logits, maps = attention.eager_attention(model, x)
    finally:
        F.softmax = real
    logits[0, cls].backward()
    return maps, [c.grad.view(m.shape) for c, m in zip(captured, maps)]


def test_a_vit_exports_attention_maps_equal_to_torchs_with_their_gradients():
    model = tiny_vit()
    with tempfile.TemporaryDirectory() as tmp:
        manifest = _export(model, Path(tmp) / "vit")
        saved = torch.jit.load(str(Path(tmp) / "vit" / "model.pt")).eval()
    spec = manifest["attention"]
    assert spec == {**spec, "method": "forward_attention", "layers": 2, "heads": 2, "tokens": 17, "prefixTokens": 1,
                    "grid": [4, 4]}
    assert spec["modules"] == [f"encoder.layers.encoder_layer_{i}.self_attention" for i in range(2)]
    checks = manifest["verification"]["attention"]
    assert max(checks.values()) < 1e-5, checks
    x = torch.randn(1, 3, 32, 32, generator=torch.Generator().manual_seed(3))
    probe = torch.zeros(1, 2, 2, 17, 17, requires_grad=True)
    logits, maps = saved.forward_attention(x, probe)
    assert torch.allclose(logits, saved(x), atol=1e-6)
    cls = int(logits.argmax())
    logits[0, cls].backward()
    want_maps, want_grads = softmax_gradients(model, x, cls)
    for layer in range(2):
        assert torch.allclose(maps[:, layer], want_maps[layer], atol=1e-6)
        assert torch.allclose(probe.grad[:, layer], want_grads[layer], atol=1e-6)
    assert probe.grad.abs().max() > 0


def test_a_wrong_reimplementation_fails_the_export(monkeypatch):
    real = attention.VitAttention

    def off(vit):  # the re-implementation with its final LayerNorm slightly wrong
        route = real(vit)
        route.ln = copy.deepcopy(route.ln)
        with torch.no_grad():
            route.ln.weight.add_(0.1)
        return route
    monkeypatch.setattr(attention, "VitAttention", off)
    with tempfile.TemporaryDirectory() as tmp:
        with pytest.raises(VerificationError, match="forward_attention's logits differ"):
            _export(tiny_vit(), Path(tmp) / "vit")
        assert not (Path(tmp) / "vit").exists()


def test_other_models_export_as_before_without_attention():
    with tempfile.TemporaryDirectory() as tmp:
        manifest = do_export(Path(tmp) / "tiny")
        saved = torch.jit.load(str(Path(tmp) / "tiny" / "model.pt"))
    assert "attention" not in manifest and "attention" not in manifest["verification"]
    assert not hasattr(saved, "forward_attention")
    assert attention.why_not(torch.nn.Conv2d(3, 3, 1)) == "not a torchvision VisionTransformer"
    odd = tiny_vit()
    odd.encoder.layers.encoder_layer_1.self_attention = torch.nn.MultiheadAttention(32, 2, batch_first=True,
                                                                                    add_bias_kv=True)
    assert "options the re-implementation does not cover" in attention.why_not(odd)
