#!/usr/bin/python3
"""Synthetic "shapes" data set for the embedded default model "shapes".

Each image is 96x96 RGB and holds exactly one target object of one of six classes
(circle, square, triangle, star, cross, hexagon) at a random position, size (18-48 px across, before rotation)
rotation and colour, on a cluttered background (smooth noise, gradients, stripes, pixel noise) with distractors
that are not class shapes (line segments, small irregular blobs, open arcs, dots). The object's bounding box is
recorded as (x0, y0, x1, y1) in pixels, inclusive-exclusive, from the pixels the object covers (>= 25% coverage).

Image i of a set with seed S is drawn from numpy's generator seeded with (S, i), so a set is reproducible and any
image can be regenerated on its own; sets with different seeds are independent.

Usage:
    /usr/bin/python3 models/tools/make_shapes.py --seed 2 --count 2000 --out /tmp/shapes-test.npz
    /usr/bin/python3 models/tools/make_shapes.py --seed 2 --count 2000 --png-dir /tmp/shapes-preview --limit 40
The npz holds images (N,96,96,3) uint8, labels (N,) int64, boxes (N,4) int64 and classes.
"""
import argparse
import math
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

CLASSES = ["circle", "square", "triangle", "star", "cross", "hexagon"]
SIZE = 96
SS = 4  # supersampling factor for anti-aliased drawing
MIN_OBJ, MAX_OBJ = 18, 48


# ------------------------------------------------------------------------------------------ background
def _colour(rng):
    return rng.integers(0, 256, size=3).astype(np.float32)


def _smooth_noise(rng, cells):
    """Value noise: a random (cells x cells x 3) grid upsampled bicubically to SIZE x SIZE, in [0,1]-ish."""
    grid = rng.random((cells, cells, 3)).astype(np.float32)
    img = Image.fromarray((grid * 255).astype(np.uint8), "RGB").resize((SIZE, SIZE), Image.BICUBIC)
    return np.asarray(img, dtype=np.float32)


def _gradient(rng):
    c0, c1 = _colour(rng), _colour(rng)
    ang = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32) / (SIZE - 1)
    t = xx * math.cos(ang) + yy * math.sin(ang)
    t = (t - t.min()) / (t.max() - t.min() + 1e-6)
    return c0 * (1 - t[..., None]) + c1 * t[..., None]


def _stripes(rng):
    c0, c1 = _colour(rng), _colour(rng)
    ang = rng.uniform(0, math.pi)
    period = rng.uniform(4, 24)
    phase = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:SIZE, 0:SIZE].astype(np.float32)
    s = np.sin(2 * math.pi * (xx * math.cos(ang) + yy * math.sin(ang)) / period + phase)
    if rng.random() < 0.5:  # hard-edged stripes
        s = np.sign(s)
    t = (s + 1) / 2
    return c0 * (1 - t[..., None]) + c1 * t[..., None]


def _noise_texture(rng):
    tex = _smooth_noise(rng, int(rng.integers(3, 16)))
    tint = _colour(rng) / 255.0
    return tex * (0.4 + 0.6 * tint)


def background(rng):
    makers = [_gradient, _stripes, _noise_texture]
    base = makers[rng.integers(0, 3)](rng)
    if rng.random() < 0.7:  # blend a second texture on top
        other = makers[rng.integers(0, 3)](rng)
        a = rng.uniform(0.2, 0.6)
        base = base * (1 - a) + other * a
    base = base + rng.normal(0, rng.uniform(2, 14), size=base.shape)  # pixel noise
    return np.clip(base, 0, 255)


# ----------------------------------------------------------------------------------------- distractors
def draw_distractors(rng, img):
    """Line segments, small irregular blobs, open arcs and dots: none is one of the six classes."""
    d = ImageDraw.Draw(img)
    S = SIZE * SS
    for _ in range(int(rng.integers(3, 11))):
        kind = rng.integers(0, 4)
        col = tuple(int(v) for v in rng.integers(0, 256, size=3))
        if kind == 0:  # line segment
            x0, y0 = rng.uniform(0, S, size=2)
            ang, length = rng.uniform(0, 2 * math.pi), rng.uniform(10, 60) * SS
            d.line([(x0, y0), (x0 + length * math.cos(ang), y0 + length * math.sin(ang))], fill=col,
                   width=int(rng.integers(1, 4)) * SS)
        elif kind == 1:  # small irregular blob (jittered polygon, at most ~10 px across)
            cx, cy = rng.uniform(0, S, size=2)
            r = rng.uniform(2, 5) * SS
            n = int(rng.integers(5, 9))
            pts = []
            for k in range(n):
                a = 2 * math.pi * k / n + rng.uniform(-0.3, 0.3)
                rr = r * rng.uniform(0.5, 1.3)
                pts.append((cx + rr * math.cos(a), cy + rr * 0.7 * math.sin(a)))
            d.polygon(pts, fill=col)
        elif kind == 2:  # open arc (at most 240 degrees)
            cx, cy = rng.uniform(0, S, size=2)
            r = rng.uniform(6, 22) * SS
            start = rng.uniform(0, 360)
            d.arc([cx - r, cy - r, cx + r, cy + r], start, start + rng.uniform(40, 240), fill=col,
                  width=int(rng.integers(1, 4)) * SS)
        else:  # a few dots
            for _ in range(int(rng.integers(2, 7))):
                cx, cy = rng.uniform(0, S, size=2)
                r = rng.uniform(0.7, 2.0) * SS
                d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=col)


# --------------------------------------------------------------------------------------------- targets
def _regular(n, r, rot, inner=None):
    pts = []
    for k in range(n * (2 if inner else 1)):
        a = rot + math.pi * k / n if inner else rot + 2 * math.pi * k / n
        rr = (r if k % 2 == 0 else inner) if inner else r
        pts.append((rr * math.cos(a), rr * math.sin(a)))
    return pts


def shape_polygon(cls, r, rot):
    """Vertices (relative to the centre) of a class shape with circumradius r; None for the circle."""
    if cls == 0:
        return None
    if cls == 1:  # square
        return _regular(4, r, rot + math.pi / 4)
    if cls == 2:  # triangle
        return _regular(3, r, rot - math.pi / 2)
    if cls == 3:  # five-pointed star
        return _regular(5, r, rot - math.pi / 2, inner=r * 0.45)
    if cls == 4:  # cross (plus sign), arm half-width r/3
        w = r / 3.0
        base = [(-w, -r), (w, -r), (w, -w), (r, -w), (r, w), (w, w), (w, r), (-w, r), (-w, w), (-r, w),
                (-r, -w), (-w, -w)]
        c, s = math.cos(rot), math.sin(rot)
        return [(x * c - y * s, x * s + y * c) for x, y in base]
    if cls == 5:  # hexagon
        return _regular(6, r, rot)
    raise ValueError(cls)


def target_mask(rng, cls):
    """Anti-aliased coverage mask (SIZE x SIZE float in [0,1]) of one object of class cls."""
    size = rng.uniform(MIN_OBJ, MAX_OBJ)
    r = size / 2 * SS
    rot = rng.uniform(0, 2 * math.pi)
    pad = r * 1.05 + SS
    cx = rng.uniform(pad, SIZE * SS - pad)
    cy = rng.uniform(pad, SIZE * SS - pad)
    m = Image.new("L", (SIZE * SS, SIZE * SS), 0)
    d = ImageDraw.Draw(m)
    poly = shape_polygon(cls, r, rot)
    if poly is None:
        d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
    else:
        d.polygon([(cx + x, cy + y) for x, y in poly], fill=255)
    m = m.resize((SIZE, SIZE), Image.BOX)
    return np.asarray(m, dtype=np.float32) / 255.0


def make_image(seed, index):
    """One sample: (uint8 HxWx3 image, class index, (x0,y0,x1,y1) box)."""
    rng = np.random.default_rng([seed, index])
    cls = int(rng.integers(0, len(CLASSES)))
    bg = background(rng)
    # distractors are drawn supersampled onto an RGBA layer, then composited
    layer = Image.new("RGBA", (SIZE * SS, SIZE * SS), (0, 0, 0, 0))
    draw_distractors(rng, layer)
    layer = np.asarray(layer.resize((SIZE, SIZE), Image.BOX), dtype=np.float32)
    a = layer[..., 3:4] / 255.0
    img = bg * (1 - a) + layer[..., :3] * a

    mask = target_mask(rng, cls)
    ys, xs = np.nonzero(mask >= 0.25)
    box = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1)
    x0, y0, x1, y1 = box
    local = img[y0:y1, x0:x1].reshape(-1, 3).mean(0)
    # object colour: random, but at least a moderate distance from the mean colour under the object
    for _ in range(50):
        col = _colour(rng)
        if np.linalg.norm(col - local) > 110:
            break
    else:
        col = np.where(local > 127, 0.0, 255.0).astype(np.float32)
    fill = np.broadcast_to(col, img.shape).astype(np.float32)
    if rng.random() < 0.3:  # some objects carry a mild shading / texture
        fill = fill * (1 + 0.25 * (_smooth_noise(rng, 6) / 255.0 - 0.5))
    img = img * (1 - mask[..., None]) + fill * mask[..., None]
    return np.clip(np.rint(img), 0, 255).astype(np.uint8), cls, box


def generate(seed, count, start=0, progress=False):
    images = np.zeros((count, SIZE, SIZE, 3), np.uint8)
    labels = np.zeros(count, np.int64)
    boxes = np.zeros((count, 4), np.int64)
    for k in range(count):
        images[k], labels[k], boxes[k] = make_image(seed, start + k)
        if progress and (k + 1) % 5000 == 0:
            print(f"  generated {k + 1}/{count}", flush=True)
    return images, labels, boxes


def load_or_generate(seed, count, cache=None, progress=True):
    """Generate a set, or load it from an npz cache made with the same seed and count."""
    if cache and Path(cache).exists():
        z = np.load(cache)
        if int(z["seed"]) == seed and len(z["labels"]) == count:
            return z["images"], z["labels"], z["boxes"]
    images, labels, boxes = generate(seed, count, progress=progress)
    if cache:
        np.savez(cache, images=images, labels=labels, boxes=boxes, seed=seed, classes=np.array(CLASSES))
    return images, labels, boxes


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--out", help="write an npz here")
    ap.add_argument("--png-dir", help="write PNG previews here (with boxes.csv)")
    ap.add_argument("--limit", type=int, default=50, help="how many PNGs at most")
    args = ap.parse_args()
    if not args.out and not args.png_dir:
        ap.error("give --out and/or --png-dir")
    if args.out:
        images, labels, boxes = generate(args.seed, args.count, progress=True)
        np.savez(args.out, images=images, labels=labels, boxes=boxes, seed=args.seed, classes=np.array(CLASSES))
        print(f"wrote {args.out}: {np.bincount(labels, minlength=6).tolist()} per class")
    if args.png_dir:
        out = Path(args.png_dir)
        out.mkdir(parents=True, exist_ok=True)
        lines = ["file,label,index,x0,y0,x1,y1"]
        for i in range(min(args.limit, args.count)):
            img, c, b = make_image(args.seed, i)
            name = f"{i:05d}-{CLASSES[c]}.png"
            Image.fromarray(img, "RGB").save(out / name)
            lines.append(",".join([name, CLASSES[c], str(c)] + [str(v) for v in b]))
        (out / "labels.csv").write_text("\n".join(lines) + "\n")
        print(f"wrote {min(args.limit, args.count)} PNGs to {out}")


if __name__ == "__main__":
    sys.exit(main())
