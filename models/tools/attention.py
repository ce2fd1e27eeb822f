"""Attention maps of torchvision ViTs, for attention rollout (models/FORMAT.md, "forward_attention").

torchvision's `EncoderBlock` calls `nn.MultiheadAttention(x, x, x, need_weights=False)`, so the attention
probabilities never exist as a tensor the fx graph can tap. The export therefore adds a second, separate route: a
re-implementation of the whole `VisionTransformer.forward` (`VitAttention`) that shares the model's own modules and
parameters and computes each block's attention explicitly, as `F.multi_head_attention_forward` does in eval mode:
`q, k, v = x W_in^T + b_in` (split in three), per head `A = softmax(q k^T / sqrt(d))`, `out = out_proj(A v)`.
`forward_attention(x, probe)` adds `probe[:, l]` to layer l's probabilities and returns `(logits, A + probe)`, so a
backward from a class score leaves `d score / d A_l` for every layer in `probe.grad`. `forward` and `forward_tap` are
untouched (the exact traced torchvision graph); the re-implementation is verified against the eager model: logits,
every layer's attention map against `nn.MultiheadAttention(..., need_weights=True, average_attn_weights=False)`, and
the input gradient through the re-implementation against the eager one.
"""
from typing import List, Optional, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

import taps as taps_mod
from verify import VerificationError

METHOD = "forward_attention"


class _Block(nn.Module):
    """One torchvision EncoderBlock with its attention written out (same modules, same parameters)."""

    def __init__(self, block: nn.Module):
        super().__init__()
        attn = block.self_attention
        self.ln_1 = block.ln_1
        self.in_proj_weight = attn.in_proj_weight
        self.in_proj_bias = attn.in_proj_bias
        self.out_proj = attn.out_proj
        self.dropout = block.dropout
        self.ln_2 = block.ln_2
        self.mlp = block.mlp
        self.heads = int(attn.num_heads)

    def forward(self, x: Tensor, probe: Tensor) -> Tuple[Tensor, Tensor]:
        y = self.ln_1(x)
        n, t, c = y.shape[0], y.shape[1], y.shape[2]
        d = c // self.heads
        q, k, v = F.linear(y, self.in_proj_weight, self.in_proj_bias).chunk(3, dim=-1)
        q = q.reshape(n, t, self.heads, d).transpose(1, 2)
        k = k.reshape(n, t, self.heads, d).transpose(1, 2)
        v = v.reshape(n, t, self.heads, d).transpose(1, 2)
        a = torch.softmax(torch.matmul(q / (d ** 0.5), k.transpose(-2, -1)), dim=-1) + probe
        out = torch.matmul(a, v).transpose(1, 2).reshape(n, t, c)
        x = self.dropout(self.out_proj(out)) + x
        return x + self.mlp(self.ln_2(x)), a


class VitAttention(nn.Module):
    """torchvision VisionTransformer.forward with every block's attention probabilities exposed and probed."""

    def __init__(self, vit: nn.Module):
        super().__init__()
        self.conv_proj = vit.conv_proj
        self.class_token = vit.class_token
        self.pos_embedding = vit.encoder.pos_embedding
        self.dropout = vit.encoder.dropout
        self.blocks = nn.ModuleList([_Block(b) for b in vit.encoder.layers])
        self.ln = vit.encoder.ln
        self.head = vit.heads
        self.hidden_dim = int(vit.hidden_dim)
        self.layers = len(self.blocks)

    def forward(self, x: Tensor, probe: Tensor) -> Tuple[Tensor, Tensor]:
        n = x.shape[0]
        y = self.conv_proj(x).reshape(n, self.hidden_dim, -1).permute(0, 2, 1)
        y = torch.cat([self.class_token.expand(n, -1, -1), y], dim=1)
        if probe.dim() != 5 or probe.shape[0] != n or probe.shape[1] != self.layers:
            raise RuntimeError("forward_attention: probe must be shaped (N, layers, heads, tokens, tokens)")
        y = self.dropout(y + self.pos_embedding)
        # unbind, not probe[:, i]: its backward stacks the layers' gradients once, where 12 selects would each
        # fill and add a whole (N, layers, heads, T, T) tensor.
        probes = probe.unbind(1)
        maps: List[Tensor] = []
        i = 0
        for block in self.blocks:
            y, a = block(y, probes[i])
            maps.append(a)
            i += 1
        y = self.ln(y)
        return self.head(y[:, 0]), torch.stack(maps, dim=1)


class AttentionTappedModel(taps_mod.TappedModel):
    """TappedModel plus `forward_attention` (only for models whose attention the export can expose)."""

    def __init__(self, net, tail, attention: VitAttention):
        super().__init__(net, tail)
        self.attention = attention

    @torch.jit.export
    def forward_attention(self, x: Tensor, probe: Tensor) -> Tuple[Tensor, Tensor]:
        return self.attention(x, probe)


def wrap(model: nn.Module, gm, tail, manifest: dict, input_shape) -> nn.Module:
    """The module export.py scripts: for a ViT whose attention can be exposed, with `forward_attention` (and
    manifest["attention"] set); otherwise the plain TappedModel, exactly as before."""
    if why_not(model) is not None:
        return taps_mod.TappedModel(gm, tail)
    manifest["attention"] = manifest_field(model, input_shape)
    return AttentionTappedModel(gm, tail, VitAttention(model))


def verification(model: nn.Module, pt_path, x: Tensor, manifest: dict, tolerance: float) -> dict:
    """{"attention": numbers} after checking the saved forward_attention (VerificationError on a mismatch); {}
    for a package without attention maps."""
    if "attention" not in manifest:
        return {}
    return {"attention": verify_saved(model, pt_path, x, manifest["attention"], tolerance)}


def why_not(model: nn.Module) -> Optional[str]:
    """None when `model` is a torchvision VisionTransformer whose attention `VitAttention` reproduces; else why not."""
    try:
        from torchvision.models import VisionTransformer
        from torchvision.models.vision_transformer import EncoderBlock
    except ImportError:  # pragma: no cover
        return "torchvision is not installed"
    if not isinstance(model, VisionTransformer):
        return "not a torchvision VisionTransformer"
    for name, block in model.encoder.layers.named_children():
        attn = getattr(block, "self_attention", None)
        if type(block) is not EncoderBlock or not isinstance(attn, nn.MultiheadAttention):
            return f"encoder block {name} is not torchvision's EncoderBlock with nn.MultiheadAttention"
        if not attn._qkv_same_embed_dim or attn.in_proj_bias is None or attn.bias_k is not None \
                or attn.add_zero_attn or not attn.batch_first:
            return f"encoder block {name}: its attention has options the re-implementation does not cover"
    return None


def manifest_field(model: nn.Module, input_shape) -> dict:
    """The manifest's "attention" object (models/FORMAT.md)."""
    _, h, w = (int(v) for v in input_shape)
    p = int(model.patch_size)
    names = [f"encoder.layers.{name}.self_attention" for name, _ in model.encoder.layers.named_children()]
    heads = int(next(iter(model.encoder.layers.children())).self_attention.num_heads)
    return {"method": METHOD, "layers": len(names), "heads": heads, "tokens": 1 + (h // p) * (w // p),
            "prefixTokens": 1, "grid": [h // p, w // p], "modules": names,
            "implementation": "re-implemented (models/tools/attention.py), verified against the eager model"}


def eager_attention(model: nn.Module, x: Tensor):
    """Eager reference: (logits, [per layer (N, heads, T, T) probabilities]) from each block's own
    nn.MultiheadAttention called with need_weights=True, average_attn_weights=False."""
    maps: List[Tensor] = []
    originals = []
    for block in model.encoder.layers:
        attn = block.self_attention
        original = attn.forward

        def forward(*args, original=original, **kwargs):
            kwargs.update(need_weights=True, average_attn_weights=False)
            out, weights = original(*args, **kwargs)
            maps.append(weights)
            return out, None
        attn.forward = forward
        originals.append((attn, original))
    try:
        return model(x), maps
    finally:
        for attn, original in originals:
            attn.forward = original


def verify_saved(model: nn.Module, pt_path, x: Tensor, field: dict, tolerance: float) -> dict:
    """Checks the saved `forward_attention` against the eager model; returns the verification numbers."""
    loaded = torch.jit.load(str(pt_path))
    loaded.eval()
    shape = (x.shape[0], field["layers"], field["heads"], field["tokens"], field["tokens"])
    xe = x.detach().clone().requires_grad_(True)
    logits, maps = eager_attention(model, xe)
    classes = logits.argmax(dim=1).tolist()
    logits.gather(1, torch.tensor(classes).view(-1, 1)).sum().backward()
    xs = x.detach().clone().requires_grad_(True)
    probe = torch.zeros(shape, requires_grad=True)
    got_logits, got_maps = loaded.forward_attention(xs, probe)
    got_logits.gather(1, torch.tensor(classes).view(-1, 1)).sum().backward()
    with torch.no_grad():
        plain = model(x)  # the eager model as it is (need_weights=False, maybe torch's fused fast path)
    scale = max(1.0, float(logits.abs().max()))
    logit_diff = max(float((got_logits - logits).abs().max()), float((got_logits - plain).abs().max()))
    map_diff = max(float((got_maps[:, i] - m).abs().max()) for i, m in enumerate(maps))
    grad_scale = max(1e-12, float(xe.grad.abs().max()))
    grad_diff = float((xs.grad - xe.grad).abs().max())
    if logit_diff / scale > tolerance:
        raise VerificationError(f"forward_attention's logits differ from the eager model's by {logit_diff:.3g}")
    if map_diff > tolerance:
        raise VerificationError(f"forward_attention's attention maps differ from nn.MultiheadAttention's by "
                                f"{map_diff:.3g}")
    if grad_diff / grad_scale > tolerance:
        raise VerificationError(f"the input gradient through forward_attention differs from the eager one by "
                                f"{grad_diff:.3g} (relative {grad_diff / grad_scale:.3g})")
    return {"maxAbsLogitDiff": logit_diff, "maxAbsAttentionDiff": map_diff,
            "maxRelInputGradientDiff": grad_diff / grad_scale}
