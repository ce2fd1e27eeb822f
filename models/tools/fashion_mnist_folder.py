"""Writes the Fashion-MNIST test set (10,000 images) as a labelled folder that `saliency-studio audit` reads.

    apt-get install -y dataset-fashion-mnist          # IDX files under /usr/share/datasets/fashion-mnist
    /usr/bin/python3 models/tools/fashion_mnist_folder.py --out /tmp/fashion-mnist-test [--limit N]

Writes OUT/NNNNN-<label slug>.png (28x28 8-bit grey, as stored in the IDX file) and OUT/labels.csv with the columns
file,label,index; the labels are the model's own, read from models/fashion-mnist/synset.txt (line i = class i, the
order of the IDX label values). Only the standard library and Pillow are needed.
"""
import argparse
import csv
import gzip
import pathlib
import re
import struct

from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATASET = pathlib.Path("/usr/share/datasets/fashion-mnist")


def read_idx(path):
    """An IDX file (optionally gzipped) as (shape, bytes): magic 0x0000 08 NDIM, big-endian int32 dims, uint8 data."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise SystemExit(f"{path}: not an IDX file of unsigned bytes")
    shape = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return shape, data[4 + 4 * ndim:]


def find(folder, stem):
    for name in (stem, stem + ".gz"):
        if (folder / name).is_file():
            return folder / name
    raise SystemExit(f"{folder}: no {stem}[.gz]; install it with: apt-get install -y dataset-fashion-mnist")


def slug(label):
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, type=pathlib.Path, help="folder to write (created)")
    parser.add_argument("--dataset", type=pathlib.Path, default=DATASET, help="folder with the IDX files")
    parser.add_argument("--synset", type=pathlib.Path, default=ROOT / "models" / "fashion-mnist" / "synset.txt")
    parser.add_argument("--limit", type=int, default=0, help="only the first N images (0 = all)")
    args = parser.parse_args()

    labels = [line.strip() for line in args.synset.read_text(encoding="utf-8").splitlines() if line.strip()]
    (n, h, w), pixels = read_idx(find(args.dataset, "t10k-images-idx3-ubyte"))
    (m,), classes = read_idx(find(args.dataset, "t10k-labels-idx1-ubyte"))
    if n != m:
        raise SystemExit(f"{n} images but {m} labels")
    if max(classes) >= len(labels):
        raise SystemExit(f"label value {max(classes)} but {args.synset} lists {len(labels)} classes")
    count = n if args.limit <= 0 else min(n, args.limit)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(count):
        label = labels[classes[i]]
        name = f"{i:05d}-{slug(label)}.png"
        Image.frombytes("L", (w, h), pixels[i * h * w:(i + 1) * h * w]).save(args.out / name)
        rows.append((name, label, classes[i]))
    with open(args.out / "labels.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "label", "index"])
        writer.writerows(rows)
    print(f"wrote {count} images and labels.csv to {args.out}")


if __name__ == "__main__":
    main()
