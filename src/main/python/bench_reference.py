"""Times, in Python eager PyTorch, the work `saliency-studio bench` times in Java, for side-by-side ratios.

What a user of pytorch-grad-cam and Captum does in a notebook: each map with its own forward and backward, weights
requiring grad (the default for a loaded model), Grad-CAM through forward/tensor hooks on the layer.

    /usr/bin/python3 src/main/python/bench_reference.py --arch resnet50 --threads 2 --repeat 20 [--json FILE]

Uses Debian's python3-torch / python3-torchvision (the `python3` first on PATH has no torch). Random seeded weights:
timing does not depend on them. Layer: the last stage (`layer4` for ResNets, `features` otherwise); for vit_* and
swin_* the export tool's default layer, read through the `reshape_transform` of pytorch-grad-cam's examples (ViT:
drop the class token, tokens to a grid, channels first; Swin: channels last to channels first).
"""
import argparse
import json
import statistics
import time

import torch
import torchvision


def last_stage(model):
    return getattr(model, "layer4", None) or getattr(model, "features")


def vit_tokens_to_grid(t):
    n, tokens, c = t.shape
    side = int(round((tokens - 1) ** 0.5))
    return t[:, 1:, :].reshape(n, side, side, c).permute(0, 3, 1, 2)


def layer_of(model, arch):
    """(module, reshape_transform) for Grad-CAM, as a pytorch-grad-cam user sets them up."""
    if arch.startswith("vit_"):
        return model.encoder.layers[-1].ln_1, vit_tokens_to_grid
    if arch.startswith("swin_"):
        return model.features[-1][-1].norm1, lambda t: t.permute(0, 3, 1, 2)
    return last_stage(model), lambda t: t


def saliency(model, x):
    x = x.clone().requires_grad_(True)
    logits = model(x)
    target = logits.argmax(1)
    logits.gather(1, target[:, None]).sum().backward()
    return x.grad.abs().sum(1)


def gradcam(model, layer, x, reshape=lambda t: t):
    store = {}

    def keep(_module, _inputs, output):
        store["a"] = output
        output.register_hook(lambda g: store.__setitem__("g", g))

    handle = layer.register_forward_hook(keep)
    try:
        logits = model(x)
        target = logits.argmax(1)
        model.zero_grad(set_to_none=True)
        logits.gather(1, target[:, None]).sum().backward()
    finally:
        handle.remove()
    a, g = reshape(store["a"]), reshape(store["g"])
    weights = g.mean(dim=(2, 3), keepdim=True)
    return torch.relu((weights * a).sum(1))


def timed(fn, repeat):
    fn()
    fn()  # warm-up, as the Java side warms up after load
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return {"medianMs": statistics.median(out), "minMs": min(out), "maxMs": max(out)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--arch", default="resnet50")
    ap.add_argument("--size", type=int, default=224)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--json")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = getattr(torchvision.models, args.arch)(weights=None).eval()
    layer, reshape = layer_of(model, args.arch)
    x = torch.randn(1, 3, args.size, args.size, generator=torch.Generator().manual_seed(1))
    xb = torch.randn(args.batch, 3, args.size, args.size, generator=torch.Generator().manual_seed(2))

    def forward():
        with torch.no_grad():
            model(x)

    rows = {
        "forward": timed(forward, args.repeat),
        "saliency": timed(lambda: saliency(model, x), args.repeat),
        "gradcam": timed(lambda: gradcam(model, layer, x, reshape), args.repeat),
        "saliency+gradcam": timed(lambda: (saliency(model, x), gradcam(model, layer, x, reshape)), args.repeat),
        f"batch {args.batch} loop (saliency+gradcam per image)": timed(
            lambda: [(saliency(model, xb[i:i + 1]), gradcam(model, layer, xb[i:i + 1], reshape)) for i in range(args.batch)],
            max(3, args.repeat // 4)),
    }
    fwd = rows["forward"]["medianMs"]
    print(f"Python eager {args.arch} 1x3x{args.size}x{args.size}, torch {torch.__version__}, {args.threads} threads, "
          f"{args.repeat} runs each")
    print(f"{'':52s} {'median ms':>9s} {'min':>9s} {'max':>9s} {'x forward':>10s}")
    for name, r in rows.items():
        print(f"{name:52s} {r['medianMs']:9.2f} {r['minMs']:9.2f} {r['maxMs']:9.2f} {r['medianMs'] / fwd:10.2f}")
    batch_ms = rows[f"batch {args.batch} loop (saliency+gradcam per image)"]["medianMs"]
    print(f"batch throughput: {args.batch * 1000 / batch_ms:.1f} images/s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"arch": args.arch, "threads": args.threads, "torch": torch.__version__, "timings": rows,
                       "imagesPerSecond": args.batch * 1000 / batch_ms}, f, indent=2)


if __name__ == "__main__":
    main()
