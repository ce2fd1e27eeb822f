"""Writes the tiny export the Java tests use to check the export's layout changes through DJL.

    /usr/bin/python3 src/test/python/make_layout_model.py

src/test/resources/layout-model/package: the export tool's tiny test CNN (models/tools/test_export.py: BatchNorms
with non-trivial statistics, residual blocks, a conv with bias, in-place ops) exported with today's defaults, i.e.
BatchNorms folded and channels-last; src/test/resources/layout-model/fixtures: the eager hook reference for it, at
the default layer, at a folded convolution's own output (which the graph recovers from the folded value), at a
folded BatchNorm's output and at the stem. ExportLayoutParityTest runs the package in DJL against those fixtures.
"""
import pathlib
import sys

import torch

ROOT = pathlib.Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "models" / "tools"))
import test_export  # noqa: E402  (the tiny model and how the tool's own tests export it)

OUT = ROOT / "src" / "test" / "resources" / "layout-model"
torch.set_num_threads(2)
manifest = test_export.do_export(
    OUT / "package", fixtures_dir=OUT / "fixtures",
    fixture_cases=[{"layer": "head", "classes": None}, {"layer": "stage.0.conv1", "classes": None},
                   {"layer": "stage.1.bn2", "classes": [1, 3]}, {"layer": "stem", "classes": None}])
print(manifest["provenance"]["batchNormsFolded"], manifest["provenance"]["memoryFormat"], manifest["verification"])
