#!/usr/bin/python3
"""Exports an image classifier as a Saliency Studio model package (models/FORMAT.md).

Library use:  sys.path.insert(0, "models/tools"); from export import export_package
Command line: /usr/bin/python3 models/tools/export.py --arch resnet18 --out /tmp/exports/resnet18
"""
import argparse
import datetime
import hashlib
import json
import os
import re
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import List, Optional, Sequence

import torch
import torch.fx
from torch import Tensor, nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attention as attention_mod  # noqa: E402
import fold  # noqa: E402
import receptive  # noqa: E402
import reference  # noqa: E402
import tail as tail_mod  # noqa: E402
import taps as taps_mod  # noqa: E402
import verify  # noqa: E402
from verify import EXTRA_FILE, VerificationError  # noqa: E402,F401  (re-exported)

FORMAT_VERSION = 1
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)


def script_module(tapped: nn.Module):
    """Scripts the tapped wrapper (not frozen: DJL must see the parameters). A seam for tests."""
    return torch.jit.script(tapped)


def transformer_default_layer(model: nn.Module) -> Optional[str]:
    """pytorch-grad-cam's choice for torchvision's transformers: the input of the last block's attention.

    ViT: the last encoder block's first LayerNorm (`ln_1`); the final LayerNorm feeds only the class token to the
    head, so its other tokens get no gradient. Swin: the last block's `norm1` in the last stage (NHWC). MaxViT: its
    attention runs on windows (not a map), so the last map before the last block's attention is that block's MBConv
    output (NCHW).
    """
    try:
        from torchvision.models import MaxVit, SwinTransformer, VisionTransformer
    except ImportError:  # pragma: no cover
        return None
    if isinstance(model, VisionTransformer):
        last = list(model.encoder.layers.named_children())[-1][0]
        return f"encoder.layers.{last}.ln_1"
    if isinstance(model, SwinTransformer):
        stage = len(model.features) - 1
        return f"features.{stage}.{len(model.features[stage]) - 1}.norm1"
    if isinstance(model, MaxVit):
        block = model.blocks[-1]
        return f"blocks.{len(model.blocks) - 1}.layers.{len(block.layers) - 1}.layers.MBconv"
    return None


def default_layer_of(model: nn.Module, taps: List[dict]) -> str:
    """The last spatial stage: the last tap named by a top-level child container (layer4, features); for
    torchvision's transformers the layer pytorch-grad-cam's examples use (transformer_default_layer)."""
    children = dict(model.named_children())
    by_name = verify.tap_by_name(taps)
    special = transformer_default_layer(model)
    if special in by_name and taps_mod.spatial_size(by_name[special]) is not None:
        return special

    def candidates(container_only: bool, spatial_only: bool):
        out = []
        for tap in taps:
            size = taps_mod.spatial_size(tap)
            if size is None:
                continue
            h, w = size
            for name in tap["names"]:
                if "." in name or "#" in name or name not in children:
                    continue
                if container_only and not any(True for _ in children[name].children()):
                    continue
                if spatial_only and h * w <= 1:
                    continue
                out.append(name)
        return out

    for container_only, spatial_only in ((True, True), (False, True), (True, False), (False, False)):
        found = candidates(container_only, spatial_only)
        if found:
            return found[-1]
    spatial = [t for t in taps if taps_mod.spatial_size(t) is not None]
    return (spatial or taps)[-1]["names"][-1]


def to_channels_last(gm: torch.fx.GraphModule) -> None:
    """4-D weights in channels-last order, and the input converted to it as the graph's first op (in place).

    Every later activation then stays channels-last, which is the layout oneDNN convolutions work in; a tap still
    returns the same values (readers see logical N, C, H, W indexing; DJL copies out in that order).
    """
    gm.to(memory_format=torch.channels_last)
    graph = gm.graph
    x = next(n for n in graph.nodes if n.op == "placeholder")
    users = list(x.users)
    with graph.inserting_after(x):
        converted = graph.call_method("contiguous", (x,), {"memory_format": torch.channels_last})
    for user in users:
        user.replace_input_with(x, converted)
    graph.lint()
    gm.recompile()


def _torchvision_version() -> Optional[str]:
    try:
        import torchvision
        return torchvision.__version__
    except ImportError:
        return None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_fixtures(model, x, taps, cases, fixtures_dir: Path) -> None:
    """Reference values (eager model, hooks) that the Java engine is tested against."""
    import numpy as np

    fixtures_dir.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        logits = model(x)
    np.save(fixtures_dir / "input.npy", x.detach().numpy().astype(np.float32))
    np.save(fixtures_dir / "logits.npy", logits.numpy().astype(np.float32))
    by_name = verify.tap_by_name(taps)
    listed = []
    for i, case in enumerate(cases):
        layer = case["layer"]
        if layer not in by_name:
            raise KeyError(f"fixture case {i}: {layer!r} is not a tap name")
        ref = reference.hook_reference(model, x, layer, case.get("classes"),
                                       reference.reshape_transform_for(model, by_name[layer]))
        files = {"saliency": f"saliency_{i}.npy", "gradcam": f"gradcam_{i}.npy",
                 "gradcamLayer": f"gradcam_layer_{i}.npy"}
        np.save(fixtures_dir / files["saliency"], ref["saliency"]["norm"].numpy().astype(np.float32))
        np.save(fixtures_dir / files["gradcam"], ref["gradcam"]["norm"].numpy().astype(np.float32))
        np.save(fixtures_dir / files["gradcamLayer"], ref["gradcam"]["layer"].numpy().astype(np.float32))
        listed.append({
            "layer": layer,
            "tap": by_name[layer]["index"],
            "layout": by_name[layer].get("layout", "NCHW"),
            "grid": list(taps_mod.spatial_size(by_name[layer])),
            "classes": ref["classes"],
            "classesGiven": case.get("classes") is not None,
            "files": files,
            "saliencyRawMin": ref["saliency"]["min"].tolist(),
            "saliencyRawMax": ref["saliency"]["max"].tolist(),
            "gradcamRawMin": ref["gradcam"]["min"].tolist(),
            "gradcamRawMax": ref["gradcam"]["max"].tolist(),
        })
    doc = {
        "input": "input.npy",
        "logits": "logits.npy",
        "shape": list(x.shape),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "torchvision": _torchvision_version(),
        "cases": listed,
    }
    (fixtures_dir / "cases.json").write_text(json.dumps(doc, indent=2) + "\n")


def _make_temp_dir(final: Path) -> Path:
    """A sibling of `final` (so the last step is a rename), with ordinary permissions rather than mkdtemp's 0700."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.tmp-", dir=final.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)
    return tmp


PACKAGE_FILES = ("model.pt", "synset.txt", "manifest.json")  # manifest last: it holds model.pt's sha256
FIXTURE_PATTERN = re.compile(r"^(input|logits|cases|(saliency|gradcam|gradcam_layer)_\d+)\.(npy|json)$")


def _move_into_place(tmp: Path, final: Path, order: Sequence[str] = (), ours=None) -> None:
    """Moves finished files into `final`. A new folder is renamed into place as a whole; into an existing one each
    file is replaced (os.replace), stale files that this tool would have written are removed, and anything else
    there is left alone (so a wrong --out cannot wipe a folder)."""
    if not final.exists():
        tmp.rename(final)
        return
    if not final.is_dir():
        raise NotADirectoryError(final)
    new = sorted(os.listdir(tmp), key=lambda f: (f in order, order.index(f) if f in order else 0, f))
    for f in new:
        os.replace(tmp / f, final / f)
    if ours is not None:
        for f in os.listdir(final):
            if f not in new and ours(f) and (final / f).is_file():
                (final / f).unlink()
    tmp.rmdir()


def export_package(model: nn.Module, out_dir, *, model_id: str, name: str, description: str, labels: Sequence[str],
                   input_shape=(3, 224, 224), color_mode="RGB", mean=IMAGENET_MEAN, std=IMAGENET_STD,
                   scale=255.0, resize="stretch", resize_shorter=None, default_layer: Optional[str] = None,
                   provenance: Optional[dict] = None, verify_inputs: Optional[Tensor] = None,
                   fixtures_dir=None, fixture_cases: Optional[List[dict]] = None,
                   tolerance: float = 1e-4, tap_check_limit: Optional[int] = 16, seed: int = 0,
                   fold_batch_norm: bool = True, channels_last: bool = True, leaf_modules=(),
                   tap_layouts: Optional[dict] = None) -> dict:
    """Traces, taps, scripts, verifies and writes `out_dir/{model.pt, synset.txt, manifest.json}`.

    Mutates `model`: eval mode and every `inplace` flag off (same maths). Raises VerificationError, leaving no
    package (and no fixtures) behind, when the saved TorchScript disagrees with the eager model beyond `tolerance`.
    Returns the manifest.

    Checks, all within `tolerance`: every tap name's traced value against the eager module's output (one pass);
    logits of the saved `forward` and `forward_tap(tap=-1)`; saliency and Grad-CAM via `forward_tap` against the
    hook reference at the default layer and every fixture layer; `forward_tap` output shapes at up to
    `tap_check_limit` evenly spaced taps (None: all of them) plus every tap at a folded convolution.

    `fold_batch_norm`: merge each eval-mode BatchNorm into the convolution before it (fold.py): same function and
    taps, about a tenth less time per explanation on ResNet-50.
    `channels_last`: store 4-D weights in channels-last order and convert the input to it inside the graph, so
    libtorch's oneDNN convolutions skip their layout reorders (ResNet-50 in DJL: forward and explanation ~12-15%
    faster, batches ~20%). Values, shapes and taps are unchanged; only memory strides differ.
    `leaf_modules`: module paths or classes torch.fx must not trace into (taps.NamingTracer).
    `tap_layouts`: {tap name: "NCHW" | "NHWC" | "tokens"} for taps whose layout the graph does not decide.
    """
    out_dir = Path(out_dir)
    channels, height, width = (int(v) for v in input_shape)
    if color_mode not in ("RGB", "GRAY"):
        raise ValueError("color_mode must be RGB or GRAY")
    if resize not in ("stretch", "shorter-center-crop"):
        raise ValueError("resize must be stretch or shorter-center-crop")
    if resize == "shorter-center-crop" and resize_shorter is None:
        raise ValueError("shorter-center-crop needs resize_shorter")
    if len(mean) != channels or len(std) != channels:
        raise ValueError("mean and std need one value per channel")

    model.eval()
    taps_mod.disable_inplace_modules(model)
    if verify_inputs is None:
        gen = torch.Generator().manual_seed(seed)
        verify_inputs = torch.randn((2, channels, height, width), generator=gen)
    x = verify_inputs.detach().to(torch.float32)
    if tuple(x.shape[1:]) != (channels, height, width):
        raise ValueError(f"verify_inputs shape {tuple(x.shape)} does not match input_shape {input_shape}")

    gm, taps, tap_nodes, not_maps = taps_mod.trace_with_taps(model, x[:2], leaf_modules, tap_layouts)
    logits_node = next(n for n in gm.graph.nodes if n.op == "output").args[0]
    num_classes = int(logits_node.meta["tensor_meta"].shape[-1])
    labels = [str(label) for label in labels]
    if len(labels) != num_classes:
        raise ValueError(f"{len(labels)} labels for a model with {num_classes} outputs")
    if any("\n" in label or "\r" in label for label in labels):
        raise ValueError("labels must not contain line breaks")
    names = verify.tap_by_name(taps)
    if default_layer is None:
        default_layer = default_layer_of(model, taps)
    if default_layer not in names:
        raise ValueError(f"default layer {default_layer!r} is not a tap name")
    if taps_mod.spatial_size(names[default_layer]) is None:
        raise ValueError(f"default layer {default_layer!r} has no spatial grid ({names[default_layer]['layout']})")
    cases = list(fixture_cases) if fixture_cases else []
    if fixtures_dir is not None and not cases:
        cases = [{"layer": default_layer, "classes": None}]
    for case in cases:
        if case["layer"] not in names:
            raise ValueError(f"fixture layer {case['layer']!r} is not a tap name")
        if taps_mod.spatial_size(names[case["layer"]]) is None:
            raise ValueError(f"fixture layer {case['layer']!r} has no spatial grid")
    fields = receptive.checked_fields(model, gm, taps, tap_nodes, (channels, height, width))
    for tap in taps:
        if tap["index"] in fields["fields"]:
            tap["receptiveField"] = fields["fields"][tap["index"]]
    tap_name_diff = verify.check_tap_names(model, gm, tap_nodes, taps, x[:1], tolerance)
    fold_result = fold.fold_batch_norms(gm, tap_nodes, x[:1]) if fold_batch_norm else fold.FoldResult({}, 0, [], {})
    folded, folded_count = fold_result.affine, fold_result.count
    if channels_last:
        to_channels_last(gm)
    cuts = tail_mod.cut_taps(gm, tap_nodes, skip=set(folded))
    tail = tail_mod.build_tail(gm, tap_nodes, cuts)  # from the graph before the tap rewrite below
    for tap in taps:
        tap["cut"] = tap["index"] in cuts
    taps_mod.add_tap_points(gm, tap_nodes, folded)

    manifest = {
        "format": FORMAT_VERSION,
        "id": model_id,
        "name": name,
        "description": description,
        "file": "model.pt",
        "labels": "synset.txt",
        "numClasses": num_classes,
        "input": {"channels": channels, "height": height, "width": width, "colorMode": color_mode},
        "preprocessing": {
            "resize": resize,
            "resizeShorter": resize_shorter,
            "scale": float(scale),
            "mean": [float(v) for v in mean],
            "std": [float(v) for v in std],
        },
        "taps": taps,
        "defaultLayer": default_layer,
        "methods": {"forward": "forward", "tap": "forward_tap", "from": "forward_from"},
        "provenance": dict(provenance or {}),
    }
    manifest["provenance"].setdefault("exportedBy", "models/tools/export.py")
    manifest["provenance"]["batchNormsFolded"] = folded_count
    manifest["provenance"]["batchNormFolds"] = fold_result.pairs
    manifest["provenance"]["batchNormsKeptUnfolded"] = [k.split(":")[0] for k in fold_result.kept]
    manifest["provenance"]["batchNormsKeptUnfoldedWhy"] = fold_result.kept
    manifest["provenance"]["memoryFormat"] = "channels_last" if channels_last else "contiguous"
    manifest["provenance"]["torch"] = torch.__version__
    manifest["provenance"]["torchvision"] = _torchvision_version()
    manifest["provenance"]["notTapped"] = not_maps
    manifest["provenance"]["receptiveFieldsProbed"] = fields["probed"]
    manifest["provenance"]["receptiveFieldsDropped"] = fields["dropped"]
    manifest["provenance"].setdefault("date", datetime.date.today().isoformat())
    scripted = script_module(attention_mod.wrap(model, gm, tail, manifest, input_shape).eval())  # ViTs: attention

    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = _make_temp_dir(out_dir)
    fix_tmp = None
    try:
        layers = list(dict.fromkeys([default_layer] + [c["layer"] for c in cases]))
        embedded = dict(manifest, verification=None)
        pt_path = tmp / "model.pt"
        # The embedded copy is written before verification can fill in its numbers; save twice so it has them.
        torch.jit.save(scripted, str(pt_path), _extra_files={EXTRA_FILE: json.dumps(embedded)})
        try:
            verification = verify.verify(model, pt_path, x, taps, layers, tolerance, tap_check_limit,
                                         always_check=sorted(folded),
                                         folded=folded_count > 0 or channels_last,
                                         exact64={"net." + k: v for k, v in fold_result.exact.items()})
        except verify.VerificationError:
            raise
        except Exception as e:  # the saved module failed to run as the Java engine will run it
            raise verify.VerificationError(f"verification failed: {e}") from e
        verified_logits = verification.pop("_forward")
        verification["maxRelTapActivationDiff"] = tap_name_diff
        verification.update(attention_mod.verification(model, pt_path, x, manifest, tolerance))
        manifest["verification"] = verification
        torch.jit.save(scripted, str(pt_path), _extra_files={EXTRA_FILE: json.dumps(manifest, indent=2)})
        verify.check_resaved(pt_path, manifest, x, verified_logits, tolerance)
        (tmp / "synset.txt").write_text("".join(label + "\n" for label in labels))
        final = dict(manifest)
        final["sha256"] = _sha256(pt_path)
        ordered = {k: final[k] for k in ("format", "id", "name", "description", "file", "sha256")}
        ordered.update((k, v) for k, v in final.items() if k not in ordered)
        (tmp / "manifest.json").write_text(json.dumps(ordered, indent=2) + "\n")
        if fixtures_dir is not None:
            fixtures_dir = Path(fixtures_dir)
            fixtures_dir.parent.mkdir(parents=True, exist_ok=True)
            fix_tmp = _make_temp_dir(fixtures_dir)
            write_fixtures(model, x, taps, cases, fix_tmp)
        _move_into_place(tmp, out_dir, PACKAGE_FILES)
        tmp = None
        if fix_tmp is not None:
            _move_into_place(fix_tmp, fixtures_dir, ours=FIXTURE_PATTERN.match)
            fix_tmp = None
        return ordered
    finally:
        for leftover in (tmp, fix_tmp):
            if leftover is not None and leftover.exists():
                shutil.rmtree(leftover)


# ---------------------------------------------------------------------------------------------------------------
# Command line (torchvision architectures)
# ---------------------------------------------------------------------------------------------------------------

def _floats(text: str, n: int, what: str):
    values = tuple(float(v) for v in text.split(","))
    if len(values) != n:
        raise argparse.ArgumentTypeError(f"{what} needs {n} comma-separated values")
    return values


def _load_state_dict(path: str) -> dict:
    try:  # weights_only: the safe loader (torch >= 1.13), the default from torch 2.6 on
        state = torch.load(path, map_location="cpu", weights_only=True)
    except TypeError:  # pragma: no cover  (torch < 1.13)
        state = torch.load(path, map_location="cpu")
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict):
        raise ValueError(f"{path} does not hold a state_dict")
    return {k[len("module."):] if k.startswith("module.") else k: v for k, v in state.items()}


def build_torchvision(arch: str, num_classes: int, **kwargs) -> nn.Module:
    """A torchvision classifier with random weights, by the current API (`weights=None`, torchvision >= 0.13;
    `get_model` from 0.14), falling back to the older `pretrained=False` only where that is all there is."""
    import torchvision

    if arch in ("googlenet", "inception_v3"):
        kwargs.setdefault("init_weights", True)  # 0.14 warns that the default initialisation will change
    if hasattr(torchvision.models, "get_model"):
        return torchvision.models.get_model(arch, weights=None, num_classes=num_classes, **kwargs)
    builder = getattr(torchvision.models, arch)
    try:
        return builder(weights=None, num_classes=num_classes, **kwargs)
    except TypeError:  # torchvision < 0.13
        return builder(pretrained=False, num_classes=num_classes, **kwargs)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Export a torchvision classifier as a Saliency Studio model package.")
    p.add_argument("--arch", required=True, help="torchvision model name, e.g. resnet18, vgg16, densenet121")
    p.add_argument("--weights", help="state_dict .pth (default: random weights, seeded)")
    p.add_argument("--num-classes", type=int)
    p.add_argument("--labels", help="text file, one label per line (default: 'class 0' .. 'class N-1')")
    p.add_argument("--input-size", default="3,224,224", help="C,H,W (default 3,224,224)")
    p.add_argument("--mean", help="m1,m2,m3 (default ImageNet)")
    p.add_argument("--std", help="s1,s2,s3 (default ImageNet)")
    p.add_argument("--id")
    p.add_argument("--name")
    p.add_argument("--description")
    p.add_argument("--default-layer")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2, help="torch threads (default 2)")
    p.add_argument("--tolerance", type=float, default=1e-4)
    p.add_argument("--check-all-taps", action="store_true",
                   help="run forward_tap at every tap (default: 16 evenly spaced ones plus the default layer)")
    p.add_argument("--no-fold-batchnorm", action="store_true",
                   help="keep every BatchNorm as its own op (default: fold eval BatchNorms into the conv before them; "
                        "same maps and taps, faster explanations)")
    p.add_argument("--no-channels-last", action="store_true",
                   help="keep weights and activations contiguous (default: channels-last, faster oneDNN convolutions)")
    p.add_argument("--leaf-module", action="append", default=[], metavar="PATH",
                   help="module path torch.fx must not trace into (repeatable): compiled whole, still a tap")
    p.add_argument("--tap-layout", action="append", default=[], metavar="NAME=LAYOUT",
                   help="layout (NCHW, NHWC, tokens) of a tap the graph does not decide (repeatable)")
    p.add_argument("--fixtures", help="also write reference fixtures (default layer, top-1) to this folder")
    p.add_argument("--out", required=True)
    args = p.parse_args(argv)

    import torchvision

    started = time.time()
    torch.set_num_threads(args.threads)
    size = tuple(int(v) for v in args.input_size.split(","))
    if len(size) != 3:
        p.error("--input-size needs C,H,W")
    mean = _floats(args.mean, size[0], "--mean") if args.mean else IMAGENET_MEAN
    std = _floats(args.std, size[0], "--std") if args.std else IMAGENET_STD
    labels = None
    if args.labels:
        labels = [line.rstrip("\r\n") for line in Path(args.labels).read_text(encoding="utf-8").splitlines()]
        labels = [label for label in labels if label.strip()]
    num_classes = args.num_classes or (len(labels) if labels else 1000)
    if labels is None:
        labels = [f"class {i}" for i in range(num_classes)]

    tap_layouts = {}
    for item in args.tap_layout:
        if "=" not in item:
            p.error("--tap-layout needs NAME=LAYOUT")
        key, value = item.split("=", 1)
        tap_layouts[key] = value
    torch.manual_seed(args.seed)
    model = build_torchvision(args.arch, num_classes)
    if args.weights:
        model.load_state_dict(_load_state_dict(args.weights))
        weights_note = f"state_dict {os.path.basename(args.weights)} (sha256 {_sha256(Path(args.weights))[:16]}...)"
        training_data = "see the weights' source"
    else:
        weights_note = "random weights (seeded), for benchmarking only"
        training_data = "none: random weights (seeded), for benchmarking only"
    color = "GRAY" if size[0] == 1 else "RGB"
    provenance = {
        "architecture": f"torchvision {args.arch}",
        "weights": weights_note,
        "trainingData": training_data,
        "accuracy": None,
        "howMade": shlex.join(["models/tools/export.py"] + list(sys.argv[1:] if argv is None else argv)),
        "seed": args.seed,
    }
    gen = torch.Generator().manual_seed(args.seed)
    verify_inputs = torch.randn((2,) + size, generator=gen)
    manifest = export_package(
        model, args.out,
        model_id=args.id or args.arch,
        name=args.name or (f"{args.arch} (random weights)" if not args.weights else args.arch),
        description=args.description or (f"torchvision {args.arch}, {weights_note}"),
        labels=labels, input_shape=size, color_mode=color, mean=mean, std=std, scale=255.0,
        resize="shorter-center-crop", resize_shorter=round(256 / 224 * size[1]),
        default_layer=args.default_layer, provenance=provenance, verify_inputs=verify_inputs,
        fixtures_dir=args.fixtures, tolerance=args.tolerance,
        tap_check_limit=None if args.check_all_taps else 16, fold_batch_norm=not args.no_fold_batchnorm,
        channels_last=not args.no_channels_last, leaf_modules=args.leaf_module, tap_layouts=tap_layouts,
    )
    v = manifest["verification"]
    mib = os.path.getsize(Path(args.out) / "model.pt") / 2 ** 20
    layouts = {}
    for tap in manifest["taps"]:
        layouts[tap["layout"]] = layouts.get(tap["layout"], 0) + 1
    print(f"{args.arch}: {len(manifest['taps'])} taps {layouts}, default layer {manifest['defaultLayer']}, "
          f"max abs diff logits {v['maxAbsLogitDiff']:.2g} (rel {v['maxRelLogitDiff']:.2g}), "
          f"saliency {v['maxAbsSaliencyDiff']:.2g}, Grad-CAM {v['maxAbsGradCamDiff']:.2g}, "
          f"{manifest['provenance']['batchNormsFolded']} BatchNorms folded, model.pt {mib:.1f} MiB, {time.time() - started:.1f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
