"""Writes the colormap tables the app ships (src/main/resources/io/saliencystudio/colormaps/<name>.txt).

256 RGB rows in [0, 1], sampled from matplotlib's own definitions. Run with Debian's python3-matplotlib:
    /usr/bin/python3 src/main/python/make_colormaps.py
"""
import pathlib

import matplotlib
import numpy as np

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "io" / "saliencystudio" / "colormaps"
NAMES = ["viridis", "inferno", "magma", "plasma", "turbo", "jet", "gray", "coolwarm"]

OUT.mkdir(parents=True, exist_ok=True)
for name in NAMES:
    cmap = matplotlib.colormaps[name]
    rgb = cmap(np.linspace(0.0, 1.0, 256))[:, :3]
    lines = [f"# {name}: 256 RGB rows in [0, 1], from matplotlib {matplotlib.__version__}"]
    lines += [" ".join(f"{v:.6f}" for v in row) for row in rgb]
    (OUT / f"{name}.txt").write_text("\n".join(lines) + "\n")
    print(name, rgb[0], rgb[-1])
