"""Writes one small network exported twice, BatchNorms folded and not, for the sanity check's fold test.

    /usr/bin/python3 src/test/python/make_sanity_fold_models.py

src/test/resources/sanity-fold/folded and .../plain: the export tool's tiny test CNN (models/tools/test_export.py:
BatchNorms with non-trivial statistics, residual blocks, a head convolution with a bias), exported by
models/tools/export.py with today's defaults (BatchNorms folded, channels-last) and with --no-fold-batchnorm.
FoldedSanityTest runs the cascading randomisation on both with one seed and asserts that the randomised networks
compute the same maps (models/FORMAT.md, provenance.batchNormFolds; docs/methods.md, sanity check).
"""
import pathlib
import sys

import torch

ROOT = pathlib.Path(__file__).resolve().parents[2].parent
sys.path.insert(0, str(ROOT / "models" / "tools"))
import test_export  # noqa: E402  (the tiny model and how the tool's own tests export it)

OUT = ROOT / "src" / "test" / "resources" / "sanity-fold"
torch.set_num_threads(2)
folded = test_export.do_export(OUT / "folded")
plain = test_export.do_export(OUT / "plain", fold_batch_norm=False)
print(folded["provenance"]["batchNormsFolded"], plain["provenance"]["batchNormsFolded"],
      [p["batchNorm"] for p in folded["provenance"]["batchNormFolds"]])
