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
