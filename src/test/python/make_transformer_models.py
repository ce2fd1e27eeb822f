#!/usr/bin/python3
"""Builds the transformer test packages for the Java engine: two tiny torchvision transformers with seeded random
weights, exported with models/tools/export.py, plus reference fixtures computed on the eager model with hooks.

Run from the repository root:  /usr/bin/python3 src/test/python/make_transformer_models.py

Writes src/test/resources/transformer-models/<id>/{model.pt, manifest.json, synset.txt} and
src/test/resources/transformer-models/<id>/fixtures/:
- input.npy      (1, 3, 32, 32) float32, already normalised (seeded uniform pixels, ImageNet mean/std)
- logits.npy     (1, 5) float32
- saliency.npy   (32, 32): sum over channels of |d logit_c / d x|, (S - min) / (max - min + 1e-8), c = top-1
- gradcam-<tap name>-layer.npy  (h, w) per tap, at layer resolution before upsampling: alpha_k = spatial mean of
  the gradient, ReLU(sum_k alpha_k A_k), minus its min, divided by max(max, 1e-8). Token and NHWC activations and
  gradients are first reshaped as pytorch-grad-cam's examples `reshape_transform` do (ViT: drop the class token,
  reshape to (N, h, w, C), `.transpose(2, 3).transpose(1, 2)`; Swin: (N, H, W, C) to channels first).
- rollout.npy, gradrollout.npy  (h, w) for models whose export exposes attention (tiny-vit): attention rollout and
  gradient rollout of class index (reference_attention.py: torch's own nn.MultiheadAttention weights and their
  gradients, explicit rollout arithmetic), at the patch grid, minus the min, divided by max(max, 1e-8); float64
  reference written (fixtures.json "attention" has the raw min/max and the float32 vs float64 differences).
- fixtures.json  class index, taps (name, manifest index, layout, shape, prefix tokens, grid, file), raw min/max,
  the precision the reference was computed in, thread count.
The reference is computed in float32 and float64; the float64 maps are written when the two differ by more than
1e-5 anywhere (fixtures.json says which, and by how much).
"""
import json
import os
import sys
from pathlib import Path

import numpy as np
import torch
import torchvision

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "models" / "tools"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import export  # noqa: E402
import reference  # noqa: E402
import reference_attention  # noqa: E402
import taps as taps_mod  # noqa: E402

OUT = ROOT / "src" / "test" / "resources" / "transformer-models"
SIZE = 32
CLASSES = 5
MEAN, STD = export.IMAGENET_MEAN, export.IMAGENET_STD


def tiny_vit():
    model = torchvision.models.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2,
                                                 hidden_dim=32, mlp_dim=64, num_classes=CLASSES)
    # torchvision zero-initialises the head (all logits 0, no gradient anywhere): give it seeded random weights.
    with torch.no_grad():
        model.heads.head.weight.normal_(0.0, 0.5)
        model.heads.head.bias.normal_(0.0, 0.1)
    return model


def tiny_swin():
    return torchvision.models.SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2, 2], num_heads=[2, 2],
                                              window_size=[2, 2], num_classes=CLASSES)


MODELS = {
    # id: (builder, description, extra fixture taps besides the default layer)
    "tiny-vit": (tiny_vit, "torchvision VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, "
                 "hidden_dim=32, mlp_dim=64, num_classes=5), head re-drawn N(0, 0.5) (torchvision zeroes it): "
                 "17 tokens = 1 class token + 4x4 grid",
                 ["encoder.layers.encoder_layer_0", "encoder.layers.encoder_layer_0.mlp"]),
    "tiny-swin": (tiny_swin, "torchvision SwinTransformer(patch_size=[4, 4], embed_dim=16, depths=[2, 2], "
                  "num_heads=[2, 2], window_size=[2, 2], num_classes=5) on 3x32x32: NHWC stages 8x8 and 4x4",
                  ["features.1", "features.2"]),
}


def make_input(seed: int = 1) -> torch.Tensor:
    gen = torch.Generator().manual_seed(seed)
    pixels = torch.rand((1, 3, SIZE, SIZE), generator=gen)
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return ((pixels - mean) / std).to(torch.float32)


def reference_maps(model, x, tap, layer, dtype):
    m = model if dtype == torch.float32 else __import__("copy").deepcopy(model).double()
    ref = reference.hook_reference(m, x.to(dtype), layer, None, reference.reshape_transform_for(m, tap))
    return ref


def build(model_id: str) -> dict:
    builder, description, extra = MODELS[model_id]
    torch.manual_seed(0)
    model = builder().eval()
    x = make_input()
    out = OUT / model_id
    labels = [f"class {i}" for i in range(CLASSES)]
    manifest = export.export_package(
        model, out, model_id=model_id, name=f"{model_id} (test, random weights)",
        description=description + ", seeded random weights, for engine tests only", labels=labels,
        input_shape=(3, SIZE, SIZE), mean=MEAN, std=STD, resize="stretch", verify_inputs=x,
        tap_check_limit=None,
        provenance={"architecture": description, "weights": "random weights (seeded: torch.manual_seed(0))",
                    "trainingData": "none", "accuracy": None,
                    "howMade": "src/test/python/make_transformer_models.py"})
    by_name = {n: t for t in manifest["taps"] for n in t["names"]}
    layers = [manifest["defaultLayer"]] + extra
    fixtures = out / "fixtures"
    fixtures.mkdir(parents=True, exist_ok=True)

    refs32 = {layer: reference_maps(model, x, by_name[layer], layer, torch.float32) for layer in layers}
    refs64 = {layer: reference_maps(model, x, by_name[layer], layer, torch.float64) for layer in layers}
    first = refs32[layers[0]]
    classes = first["classes"]
    logits = first["logits"][0]
    top2 = torch.topk(logits, 2).values
    diffs = {"saliency": float((refs32[layers[0]]["saliency"]["norm"] -
                                refs64[layers[0]]["saliency"]["norm"]).abs().max())}
    for layer in layers:
        diffs[layer] = float((refs32[layer]["gradcam"]["layer"] - refs64[layer]["gradcam"]["layer"]).abs().max())
    use64 = max(diffs.values()) > 1e-5
    refs = refs64 if use64 else refs32
    if refs64[layers[0]]["classes"] != classes:
        raise SystemExit(f"{model_id}: float32 and float64 disagree on the top-1 class")

    np.save(fixtures / "input.npy", x.numpy().astype(np.float32))
    np.save(fixtures / "logits.npy", first["logits"].numpy().astype(np.float32))
    sal = refs[layers[0]]["saliency"]
    np.save(fixtures / "saliency.npy", sal["norm"][0].numpy().astype(np.float32))
    tap_docs = []
    for layer in layers:
        tap = by_name[layer]
        cam = refs[layer]["gradcam"]
        name = f"gradcam-{layer}-layer.npy"
        np.save(fixtures / name, cam["layer"][0].numpy().astype(np.float32))
        tap_docs.append({
            "name": layer,
            "tap": tap["index"],
            "layout": tap["layout"],
            "shape": tap["shape"],
            "prefixTokens": tap.get("prefixTokens"),
            "grid": list(taps_mod.spatial_size(tap)),
            "file": name,
            "gradcamRawMin": float(cam["min"][0]),
            "gradcamRawMax": float(cam["max"][0]),
            "float32VsFloat64MaxDiff": diffs[layer],
        })
    doc = {
        "model": model_id,
        "input": "input.npy",
        "inputShape": list(x.shape),
        "inputNote": "already normalised: (pixels - mean) / std with the manifest's mean and std; pixels seeded "
                     "uniform in [0, 1) (torch.Generator().manual_seed(1))",
        "logits": "logits.npy",
        "classIndex": classes[0],
        "top1Margin": float(top2[0] - top2[1]),
        "score": "pre-softmax logit of classIndex",
        "saliency": "saliency.npy",
        "saliencyShape": list(sal["norm"][0].shape),
        "saliencyRawMin": float(sal["min"][0]),
        "saliencyRawMax": float(sal["max"][0]),
        "saliencyFloat32VsFloat64MaxDiff": diffs["saliency"],
        "defaultLayer": manifest["defaultLayer"],
        "taps": tap_docs,
        "referencePrecision": "float64" if use64 else "float32",
        "reference": "eager torchvision model with a forward hook on the module and a tensor hook for its gradient; "
                     "Grad-CAM after pytorch-grad-cam's reshape_transform convention (models/tools/reference.py)",
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
    }
    if "attention" in manifest:
        doc["attention"] = attention_fixtures(model, x, classes, manifest["attention"], fixtures)
    (fixtures / "fixtures.json").write_text(json.dumps(doc, indent=2) + "\n")
    return doc


def attention_fixtures(model, x, classes, spec, fixtures) -> dict:
    """rollout.npy and gradrollout.npy from the float64 eager reference; float32 differences recorded."""
    import copy
    h, w = spec["grid"]
    out = {"grid": [h, w], "layers": spec["layers"], "heads": spec["heads"], "tokens": spec["tokens"],
           "reference": "src/test/python/reference_attention.py (nn.MultiheadAttention need_weights=True, "
                        "average_attn_weights=False; gradients from its softmax output), float64"}
    maps = {}
    for dtype in (torch.float32, torch.float64):
        m = model if dtype == torch.float32 else copy.deepcopy(model).double()
        _, att, grads, got = reference_attention.attention_and_gradients(m, x.to(dtype), classes)
        maps[dtype] = {"rollout": reference_attention.rollout(att), "gradrollout":
                       reference_attention.gradient_rollout(att, grads)}
    for name in ("rollout", "gradrollout"):
        raw = maps[torch.float64][name]
        norm = reference_attention.normalise(raw)
        np.save(fixtures / f"{name}.npy", norm[0].view(h, w).numpy().astype(np.float32))
        norm32 = reference_attention.normalise(maps[torch.float32][name].double())
        out[name] = {"file": f"{name}.npy", "rawMin": float(raw.min()), "rawMax": float(raw.max()),
                     "float32VsFloat64MaxDiff": float((norm32 - norm).abs().max())}
    return out


def main() -> int:
    torch.set_num_threads(1)
    for model_id in (sys.argv[1:] or MODELS):
        doc = build(model_id)
        size = sum(f.stat().st_size for f in (OUT / model_id).rglob("*") if f.is_file())
        print(f"{model_id}: class {doc['classIndex']} (margin {doc['top1Margin']:.3g}), taps "
              f"{[(t['name'], t['layout'], t['grid']) for t in doc['taps']]}, reference {doc['referencePrecision']}, "
              f"{size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
