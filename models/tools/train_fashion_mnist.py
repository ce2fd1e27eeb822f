#!/usr/bin/python3
"""Train the embedded default model "fashion-mnist" and export it as a Saliency Studio model package.

Usage (from the repository root, with Debian's torch under /usr/bin/python3):

    /usr/bin/python3 models/tools/train_fashion_mnist.py --seed 0 --out models/fashion-mnist

Data: Debian package `dataset-fashion-mnist` (IDX files under /usr/share/datasets/fashion-mnist).
CPU only, 2 threads, a few minutes. The script also writes the sample images
(assets/samples/fashion-mnist/) and the parity fixtures (src/test/resources/parity/fashion-mnist/).

With --checkpoint PATH the trained weights and training record are saved there; adding --reuse-checkpoint loads
them instead of training again (used to re-export without retraining; the provenance keeps the original record).
"""
import argparse
import gzip
import json
import os
import platform
import shlex
import struct
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

REPO = Path(__file__).resolve().parents[2]
MODEL_ID = "fashion-mnist"
LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
          "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
MEAN, STD = 0.2860, 0.3530
DATA_DIR = "/usr/share/datasets/fashion-mnist"
WIDTHS = (32, 64, 128)


# ----------------------------------------------------------------------------------------------- model
class ConvBNReLU(nn.Sequential):
    """3x3 conv (no bias) -> BatchNorm -> ReLU, with the children named conv / bn / relu."""

    def __init__(self, cin, cout):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.relu = nn.ReLU(inplace=True)


class FashionNet(nn.Module):
    """stem (28x28) -> layer1 (28x28) -> layer2 (pool, 14x14) -> layer3 (pool, 7x7) -> avgpool -> fc."""

    def __init__(self, widths=WIDTHS, num_classes=10):
        super().__init__()
        a, b, c = widths
        self.stem = ConvBNReLU(1, a)
        self.layer1 = nn.Sequential(ConvBNReLU(a, a))
        self.layer2 = nn.Sequential(nn.MaxPool2d(2), ConvBNReLU(a, b), ConvBNReLU(b, b))
        self.layer3 = nn.Sequential(nn.MaxPool2d(2), ConvBNReLU(b, c), ConvBNReLU(c, c))
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, num_classes)

    def forward(self, x):
        x = self.stem(x)
        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        return self.fc(x)


ARCHITECTURE = ("FashionNet: stem conv3x3(1->32)-BN-ReLU @28x28; layer1 conv-BN-ReLU(32) @28x28; "
                "layer2 maxpool2 + 2x conv-BN-ReLU(64) @14x14; layer3 maxpool2 + 2x conv-BN-ReLU(128) @7x7; "
                "global average pool; fc 128->10. Modules: stem.{conv,bn,relu}, layerK.i.{conv,bn,relu}, "
                "avgpool, fc.")


# ------------------------------------------------------------------------------------------------ data
def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(data_dir, split):
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    return images, labels.astype(np.int64)


def to_input(images_u8):
    """uint8 (N,28,28) -> normalised float32 (N,1,28,28), exactly as the manifest says (/255, -mean, /std)."""
    x = torch.from_numpy(np.array(images_u8, dtype=np.uint8, copy=True)).float().unsqueeze(1) / 255.0
    return (x - MEAN) / STD


# ------------------------------------------------------------------------------------------- training
def evaluate(model, x_u8, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y), batch):
            logits = model(to_input(x_u8[i:i + batch]))
            correct += int((logits.argmax(1) == torch.from_numpy(y[i:i + batch])).sum())
    return correct / len(y)


def train(args, xtr, ytr, xte, yte):
    torch.manual_seed(args.seed)
    model = FashionNet()
    gen = torch.Generator().manual_seed(args.seed)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True, weight_decay=5e-4)
    steps_per_epoch = (len(ytr) + args.batch_size - 1) // args.batch_size
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs,
                                                steps_per_epoch=steps_per_epoch, pct_start=0.25)
    x_all = to_input(xtr)
    y_all = torch.from_numpy(ytr)
    t0, c0 = time.time(), time.process_time()
    history = []
    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(y_all), generator=gen)
        total, seen = 0.0, 0
        for s in range(steps_per_epoch):
            idx = perm[s * args.batch_size:(s + 1) * args.batch_size]
            xb, yb = x_all[idx], y_all[idx]
            # augmentation: random horizontal flip (per sample)
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            sched.step()
            total += float(loss) * len(idx)
            seen += len(idx)
        acc = evaluate(model, xte, yte)
        history.append({"epoch": epoch + 1, "trainLoss": round(total / seen, 4), "testAcc": acc,
                        "elapsedS": round(time.time() - t0, 1)})
        print(f"epoch {epoch + 1}/{args.epochs} loss {total / seen:.4f} test acc {acc:.4f} "
              f"({time.time() - t0:.0f} s)", flush=True)
    model.eval()
    return model, time.time() - t0, time.process_time() - c0, history


# -------------------------------------------------------------------------------------------- samples
def slug(label):
    return label.lower().replace("/", "-").replace(" ", "-")


def write_samples(out_dir, xte, yte, per_class):
    """The first `per_class` test images of each class, as native 28x28 grayscale PNGs + labels.csv."""
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for c in range(len(LABELS)):
        for i in np.nonzero(yte == c)[0][:per_class]:
            rows.append((int(i), c))
    rows.sort()
    lines = ["file,label,index"]
    files = []
    for i, c in rows:
        name = f"{i:04d}-{slug(LABELS[c])}.png"
        Image.fromarray(xte[i], mode="L").save(out_dir / name, optimize=True)
        lines.append(f"{name},{LABELS[c]},{c}")
        files.append((name, c))
    (out_dir / "labels.csv").write_text("\n".join(lines) + "\n")
    return files


def load_png_inputs(paths):
    """Preprocess native-size PNGs as the manifest says: grayscale, /255, (v-mean)/std -> (N,1,28,28)."""
    arrs = [np.asarray(Image.open(p).convert("L"), dtype=np.uint8) for p in paths]
    return to_input(np.stack(arrs))


# ----------------------------------------------------------------------------------------------- main
def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", default="models/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--batch-size", type=int, default=128)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data-dir", default=DATA_DIR)
    ap.add_argument("--samples-out", default="assets/samples/fashion-mnist")
    ap.add_argument("--samples-per-class", type=int, default=2)
    ap.add_argument("--fixtures-out", default="src/test/resources/parity/fashion-mnist")
    ap.add_argument("--checkpoint", default=None, help="save weights + training record here")
    ap.add_argument("--reuse-checkpoint", action="store_true", help="load --checkpoint instead of training")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.use_deterministic_algorithms(True)
    command = "/usr/bin/python3 models/tools/train_fashion_mnist.py " + " ".join(
        shlex.quote(a) for a in sys.argv[1:])

    xtr, ytr = load_split(args.data_dir, "train")
    xte, yte = load_split(args.data_dir, "test")
    print(f"train {xtr.shape} test {xte.shape}", flush=True)

    if args.reuse_checkpoint:
        ck = torch.load(args.checkpoint)
        model = FashionNet()
        model.load_state_dict(ck["state_dict"])
        model.eval()
        record = ck["record"]
        print("loaded", args.checkpoint, record["howMade"], flush=True)
    else:
        model, seconds, cpu_seconds, history = train(args, xtr, ytr, xte, yte)
        record = {"howMade": command, "epochs": args.epochs, "trainSeconds": round(seconds, 1),
                  "trainCpuSeconds": round(cpu_seconds, 1),
                  "history": history}
        if args.checkpoint:
            torch.save({"state_dict": model.state_dict(), "record": record}, args.checkpoint)

    test_acc = evaluate(model, xte, yte)
    print(f"final test accuracy {test_acc:.4f} on {len(yte)} images", flush=True)

    samples_dir = REPO / args.samples_out
    files = write_samples(samples_dir, xte, yte, args.samples_per_class)
    with torch.no_grad():
        sample_logits = model(load_png_inputs([samples_dir / f for f, _ in files]))
    sample_acc = float((sample_logits.argmax(1) == torch.tensor([c for _, c in files])).float().mean())
    print(f"{len(files)} samples written to {samples_dir} (model correct on {sample_acc:.2f})", flush=True)

    # four verification images of different classes: Trouser, Sneaker, Shirt, Bag
    wanted = [1, 7, 6, 8]
    verify_files = [next(f for f, c in files if c == w) for w in wanted]
    verify = load_png_inputs([samples_dir / f for f in verify_files])
    with torch.no_grad():
        ranked = model(verify).argsort(1, descending=True)
    second = [int(r[1]) for r in ranked]

    fixture_cases = [
        {"layer": "layer3", "classes": None},            # default layer, top-1
        {"layer": "layer3", "classes": second},          # default layer, 2nd-ranked class per image
        {"layer": "layer3.2.conv", "classes": None},     # inner conv of the last block
        {"layer": "layer2", "classes": None},            # earlier stage (14x14)
    ]
    provenance = {
        "architecture": ARCHITECTURE,
        "parameters": sum(p.numel() for p in model.parameters()),
        "trainingData": "Fashion-MNIST (Debian package dataset-fashion-mnist), 60k train; "
                        "augmentation: random horizontal flip",
        "accuracy": {"metric": "top1", "split": "test", "samples": int(len(yte)), "value": round(test_acc, 4)},
        "howMade": record["howMade"],
        "training": {"epochs": record["epochs"], "batchSize": args.batch_size,
                     "optimizer": f"SGD nesterov momentum 0.9, weight decay 5e-4, OneCycle max lr {args.lr}",
                     "seed": args.seed, "threads": args.threads, "device": "cpu",
                     "seconds": record["trainSeconds"],
                     "cpuSeconds": record.get("trainCpuSeconds"), "history": record["history"]},
        "samples": {"dir": args.samples_out, "count": len(files),
                    "source": f"first {args.samples_per_class} test images of each class"},
        "fixtures": {"dir": args.fixtures_out, "images": verify_files},
        "host": platform.machine(),
    }
    if args.reuse_checkpoint:
        provenance["reExportedBy"] = command + " (weights from the checkpoint of the howMade run)"

    sys.path.insert(0, str(REPO / "models" / "tools"))
    from export import export_package  # noqa: E402  (written by another tool; imported late on purpose)

    manifest = export_package(
        model, str(REPO / args.out),
        model_id=MODEL_ID,
        name="Fashion-MNIST (small CNN)",
        description="Small CNN on 28x28 grayscale Fashion-MNIST clothing images (10 classes).",
        labels=LABELS,
        input_shape=(1, 28, 28),
        color_mode="GRAY",
        mean=[MEAN], std=[STD], scale=255.0,
        resize="stretch", resize_shorter=None,
        default_layer="layer3",
        provenance=provenance,
        verify_inputs=verify,
        fixtures_dir=str(REPO / args.fixtures_out),
        fixture_cases=fixture_cases,
    )
    print(json.dumps({k: manifest[k] for k in ("id", "sha256", "defaultLayer") if k in manifest}), flush=True)
    print("fixture cases:", json.dumps(fixture_cases), "images:", verify_files, flush=True)
    pt = REPO / args.out / "model.pt"
    print(f"model.pt {pt.stat().st_size} bytes", flush=True)


if __name__ == "__main__":
    main()
