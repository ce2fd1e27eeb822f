#!/usr/bin/python3
"""Eager reference for attention rollout and gradient rollout on a torchvision VisionTransformer (docs/methods.md).

Independent of the export's re-implementation (models/tools/attention.py): every encoder block's own
nn.MultiheadAttention is called with need_weights=True, average_attn_weights=False, which returns the very
probabilities torch multiplies the values with (F.multi_head_attention_forward), and a tensor hook
(retain_grad) gives d logit / d A. The rollouts are then explicit matrix arithmetic, in the model's dtype:

The weights need_weights returns are a view taken after the product with v, so their own hook sees no gradient; the
gradient comes from the tensor torch's `softmax` returned inside F.multi_head_attention_forward (captured by
wrapping torch.nn.functional.softmax during the call, checked equal to the returned weights), which is the tensor
multiplied with v (dropout is 0 in eval).

- rollout (Abnar and Zuidema 2020, jacobgil/vit-explain's rollout(head_fusion="mean", discard_ratio=0)):
  A_l = mean over heads; A'_l = 0.5 A_l + 0.5 I, rows divided by their sums; R = A'_L ... A'_1; map = R[0, 1:].
- gradient rollout (Chefer et al. 2021, self-attention rule): R = I; per layer in forward order
  Abar_l = mean over heads of ReLU(dA_l * A_l); R = R + Abar_l R; map = R[0, 1:].
Maps are read on the patch grid (row-major) and normalised like Grad-CAM: minus the min, divided by max(max, 1e-8).
"""
from typing import List, Optional, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def attention_and_gradients(model: nn.Module, x: Tensor, classes: Optional[Sequence[int]] = None):
    """(logits, [A_l (N, heads, T, T)], [dA_l]) for the pre-softmax logit of `classes` (default: top-1)."""
    maps: List[Tensor] = []
    saved = []
    for block in model.encoder.layers:
        attn = block.self_attention
        original = attn.forward

        def forward(*args, original=original, **kwargs):
            kwargs.update(need_weights=True, average_attn_weights=False)
            captured = []
            real = F.softmax

            def spy(t, *a, **k):
                y = real(t, *a, **k)
                captured.append(y)
                return y
            F.softmax = spy
            try:
                out, weights = original(*args, **kwargs)
            finally:
                F.softmax = real
            if len(captured) != 1 or not torch.equal(captured[0].view(weights.shape), weights):
                raise RuntimeError("nn.MultiheadAttention did not compute its weights with one softmax")
            captured[0].retain_grad()
            maps.append((captured[0], weights.shape))
            return out, None
        attn.forward = forward
        saved.append((attn, original))
    try:
        x = x.detach().clone().requires_grad_(True)
        logits = model(x)
        if classes is None:
            classes = logits.argmax(dim=1).tolist()
        logits.gather(1, torch.tensor(list(classes)).view(-1, 1)).sum().backward()
        return (logits.detach(), [m.detach().view(shape) for m, shape in maps],
                [m.grad.detach().view(shape) for m, shape in maps], list(classes))
    finally:
        for attn, original in saved:
            attn.forward = original


def rollout(maps: List[Tensor], prefix: int = 1) -> Tensor:
    """(N, T - prefix): the class token's row of the rollout over the grid tokens."""
    n, _, t, _ = maps[0].shape
    eye = torch.eye(t, dtype=maps[0].dtype)
    r = eye.expand(n, t, t)
    for a in maps:
        fused = 0.5 * a.mean(dim=1) + 0.5 * eye
        fused = fused / fused.sum(dim=-1, keepdim=True)
        r = fused @ r
    return r[:, 0, prefix:]


def gradient_rollout(maps: List[Tensor], grads: List[Tensor], prefix: int = 1) -> Tensor:
    n, _, t, _ = maps[0].shape
    r = torch.eye(t, dtype=maps[0].dtype).expand(n, t, t)
    for a, g in zip(maps, grads):
        abar = (g * a).clamp(min=0).mean(dim=1)
        r = r + abar @ r
    return r[:, 0, prefix:]


def normalise(raw: Tensor) -> Tensor:
    """Per map: minus its min, divided by max(max, 1e-8) (the Grad-CAM convention the engine applies)."""
    flat = raw.flatten(1)
    out = flat - flat.min(dim=1, keepdim=True).values
    return (out / out.max(dim=1, keepdim=True).values.clamp(min=1e-8)).view_as(raw)
