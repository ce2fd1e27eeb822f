#!/usr/bin/env python3
"""Draws the Saliency Studio icon and writes it at the sizes the desktop and installers use.

The design is geometric (a picture frame, an inferno-coloured heat blob, a magnifier), drawn once at 1024 px with
anti-aliasing by supersampling and scaled down, so every size comes from the same shapes. Run from the repository
root after changing it:  /usr/bin/python3 packaging/icons/make_icons.py  (needs Pillow and numpy).
"""
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
BIG = 1024
OUT = Path(__file__).resolve().parent
# The window icon (title bar, task switcher) comes from the class path, at the sizes window managers ask for.
WINDOW_ICONS = OUT.parents[1] / "src/main/resources/io/saliencystudio/app/icons"
WINDOW_SIZES = (16, 32, 48, 64, 128, 256)

# Inferno stops (matplotlib), dark to bright: the app's "hot" end of a saliency map.
INFERNO = [(0.0, (0, 0, 4)), (0.25, (87, 16, 110)), (0.5, (188, 55, 84)), (0.75, (249, 142, 9)),
           (1.0, (252, 255, 164))]


def inferno(t):
    t = np.clip(t, 0, 1)
    out = np.zeros(t.shape + (3,))
    for (a, ca), (b, cb) in zip(INFERNO, INFERNO[1:]):
        w = np.clip((t - a) / (b - a), 0, 1)[..., None]
        inside = ((t >= a) & (t <= b))[..., None]
        out = np.where(inside, np.array(ca) * (1 - w) + np.array(cb) * w, out)
    return out


def draw():
    s = BIG
    icon = Image.new("RGBA", (s, s), (0, 0, 0, 0))
    d = ImageDraw.Draw(icon)
    # Background tile.
    d.rounded_rectangle([32, 32, s - 32, s - 32], radius=200, fill=(30, 41, 59, 255))

    # The picture: a light frame with a dark field, where the heat map goes.
    frame = [150, 170, 874, 800]
    d.rounded_rectangle(frame, radius=60, fill=(226, 232, 240, 255))
    field = [190, 210, 834, 760]

    # Heat blob: two Gaussian peaks, coloured with inferno, clipped to the field.
    y, x = np.mgrid[0:s, 0:s].astype(float)
    heat = np.exp(-(((x - 470) / 170) ** 2 + ((y - 450) / 150) ** 2))
    heat += 0.55 * np.exp(-(((x - 680) / 110) ** 2 + ((y - 640) / 100) ** 2))
    heat = heat / heat.max()
    rgb = inferno(heat).astype(np.uint8)
    heat_img = Image.fromarray(rgb, "RGB").convert("RGBA")
    mask = Image.new("L", (s, s), 0)
    ImageDraw.Draw(mask).rounded_rectangle(field, radius=36, fill=255)
    icon.paste(heat_img, (0, 0), mask)

    # Magnifier over the hot spot: ring and handle, white with a dark outline so it reads on any background.
    cx, cy, r = 470, 450, 170
    for width, colour in ((58, (15, 23, 42, 255)), (34, (248, 250, 252, 255))):
        d.ellipse([cx - r, cy - r, cx + r, cy + r], outline=colour, width=width)
        d.line([cx + 0.72 * r, cy + 0.72 * r, cx + 2.05 * r, cy + 2.05 * r], fill=colour, width=width + 34)
    return icon


def main():
    big = draw().filter(ImageFilter.SMOOTH)
    for n in SIZES:
        big.resize((n, n), Image.LANCZOS).save(OUT / f"saliency-studio-{n}.png", optimize=True)
    WINDOW_ICONS.mkdir(parents=True, exist_ok=True)
    for n in WINDOW_SIZES:
        big.resize((n, n), Image.LANCZOS).save(WINDOW_ICONS / f"saliency-studio-{n}.png", optimize=True)
    print("wrote", ", ".join(f"saliency-studio-{n}.png" for n in SIZES), "in", OUT, "and the window icons in",
          WINDOW_ICONS)


if __name__ == "__main__":
    main()
