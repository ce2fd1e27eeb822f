"""The Python eager loop that `saliency-studio audit` is measured against: predictions over a labelled folder.

    /usr/bin/python3 src/main/python/audit_reference.py --model models/fashion-mnist --threads 2 DATASET

What a user writes in a notebook: `torch.jit.load` of the package's model.pt, PIL decode and the manifest's
preprocessing (stretch resize, grey or RGB, scale, mean, std) per file, batches of 64 under torch.no_grad(),
softmax, top-1 and the true class's probability. Prints the images, the accuracy and images/s after start-up
(decoding included, the model load and a warm-up batch excluded) on one line; `--json FILE` also writes them.
Uses Debian's python3-torch (the `python3` first on PATH has no torch).
"""
import argparse
import csv
import json
import pathlib
import time

import numpy as np
import torch
from PIL import Image


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dataset", type=pathlib.Path, help="folder with labels.csv and the images")
    parser.add_argument("--model", type=pathlib.Path, required=True, help="model package folder")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", type=pathlib.Path)
    args = parser.parse_args()

    start = time.perf_counter()
    torch.set_num_threads(args.threads)
    manifest = json.loads((args.model / "manifest.json").read_text())
    labels = [l.strip() for l in (args.model / manifest["labels"]).read_text().splitlines() if l.strip()]
    spec, pre = manifest["input"], manifest["preprocessing"]
    if pre["resize"] != "stretch":
        raise SystemExit("only the stretch resize is implemented here")
    grey = spec["colorMode"] == "GRAY"
    size = (spec["width"], spec["height"])
    mean = np.array(pre["mean"], dtype=np.float32)[:, None, None]
    std = np.array(pre["std"], dtype=np.float32)[:, None, None]
    scale = np.float32(pre["scale"])
    with open(args.dataset / "labels.csv", newline="", encoding="utf-8") as f:
        rows = [(r["file"], labels.index(r["label"])) for r in csv.DictReader(f)]
    model = torch.jit.load(str(args.model / manifest["file"]))
    model.eval()

    def tensor(path):
        img = Image.open(path).convert("RGB")
        if img.size != size:
            img = img.resize(size, Image.BILINEAR)
        if grey:
            img = img.convert("L")
        a = np.asarray(img, dtype=np.float32)
        a = a[None] if a.ndim == 2 else a.transpose(2, 0, 1)
        return (a / scale - mean) / std

    with torch.no_grad():
        model(torch.zeros(args.batch, spec["channels"], spec["height"], spec["width"]))  # warm-up
        model(torch.zeros(args.batch, spec["channels"], spec["height"], spec["width"]))
        startup = time.perf_counter() - start
        t0 = time.perf_counter()
        correct = 0
        for b in range(0, len(rows), args.batch):
            chunk = rows[b:b + args.batch]
            x = torch.from_numpy(np.stack([tensor(args.dataset / name) for name, _ in chunk]))
            p = torch.softmax(model(x), dim=1)
            top = p.argmax(1)
            truth = torch.tensor([t for _, t in chunk])
            correct += int((top == truth).sum())
            _p_true = p.gather(1, truth[:, None])
        seconds = time.perf_counter() - t0
    result = {"images": len(rows), "accuracy": correct / len(rows), "seconds": seconds,
              "imagesPerSecond": len(rows) / seconds, "startupSeconds": startup, "batch": args.batch,
              "threads": args.threads}
    print(f"{len(rows)} images, accuracy {result['accuracy']:.4f}, {result['imagesPerSecond']:.0f} images/s "
          f"after start-up ({seconds:.2f} s; start-up {startup:.2f} s; batch {args.batch}, {args.threads} threads)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
