"""Writes the small model files the Java tests use for edge cases (src/test/resources/models/).

    /usr/bin/python3 src/test/python/make_test_models.py

- plain-no-taps.pt: a TorchScript CNN (3x32x32 -> 4 classes) saved without taps or manifest, as a user's own
  torch.jit.script export would be: saliency must work, Grad-CAM must say how to re-export.
- state-dict.pt: a torch.save'd state_dict (a zip, but a pickle, not TorchScript).
- wrong-output.pt: TorchScript returning a 4-D map instead of (N, classes) logits.
"""
import pathlib

import torch
from torch import nn

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "models"
OUT.mkdir(parents=True, exist_ok=True)
torch.manual_seed(0)


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.fc = nn.Linear(8, 4)

    def forward(self, x):
        x = torch.relu(self.bn(self.conv(x)))
        return self.fc(x.mean(dim=(2, 3)))


class MapOut(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 2, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


model = Tiny().eval()
torch.jit.save(torch.jit.script(model), str(OUT / "plain-no-taps.pt"))
torch.save(model.state_dict(), str(OUT / "state-dict.pt"))
torch.jit.save(torch.jit.script(MapOut().eval()), str(OUT / "wrong-output.pt"))
(OUT / "not-a-model.pt").write_text("this is a text file, not a model\n")
for p in sorted(OUT.iterdir()):
    print(p.name, p.stat().st_size)


# --- Regression corpus (src/test/resources/corpus/models/): one small package or file per way a model can be wrong.
# Read by io.saliencystudio.engine.runtime.ModelCorpusTest. Packages reuse Tiny's weights; each is a few KB.
CORPUS = OUT.parent / "corpus" / "models"


class OneChannel(nn.Module):
    """Takes 1-channel input; its manifest below claims 3 channels (the channel-count mistake)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 4, 3, padding=1)
        self.fc = nn.Linear(4, 4)

    def forward(self, x):
        return self.fc(torch.relu(self.conv(x)).mean(dim=(2, 3)))


class Throws(nn.Module):
    """Runs on ordinary inputs (load check and warm-up feed zeros) but raises inside TorchScript when the mean of
    the input is above 1: a model with an assertion of its own, as users' models sometimes have."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)

    def forward(self, x):
        if bool(x.mean() > 1.0):
            raise RuntimeError("input out of the range this model was trained on")
        return self.fc(x.mean(dim=(2, 3)))


MANIFEST = """{{
  "format": 1, "id": "{id}", "file": "{file}", "labels": "synset.txt",
  "input": {{"channels": 3, "height": 32, "width": 32}},
  "preprocessing": {{"mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}}
}}
"""


def package(name, module, labels=4, manifest=None, file="model.pt"):
    d = CORPUS / name
    d.mkdir(parents=True, exist_ok=True)
    if module is not None:
        torch.jit.save(torch.jit.script(module.eval()), str(d / "model.pt"))
    (d / "synset.txt").write_text("".join(f"class-{i}\n" for i in range(labels)))
    (d / "manifest.json").write_text(manifest if manifest is not None else MANIFEST.format(id=name, file=file))


package("good", Tiny())
package("wrong-channels", OneChannel())
package("label-mismatch", Tiny(), labels=3)
package("manifest-missing-input", Tiny(), manifest='{"format": 1, "id": "missing-input", "preprocessing": '
        '{"mean": [0.5, 0.5, 0.5], "std": [0.25, 0.25, 0.25]}}\n')
package("manifest-outside", None, file="../good/model.pt")
package("throws-inside", Throws())
for p in sorted(CORPUS.rglob("*")):
    if p.is_file():
        print(p.relative_to(CORPUS), p.stat().st_size)
