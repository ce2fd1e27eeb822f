"""Receptive fields (receptive.py): the arithmetic over the traced graph, its gradient-probe check, and the
manifest field an export writes.

Run: /usr/bin/python3 -m pytest models/tools/test_receptive.py
"""
import os
import sys
import tempfile
from pathlib import Path

import torch
import torchvision
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import receptive  # noqa: E402
import taps as taps_mod  # noqa: E402
from test_export import do_export  # noqa: E402


def _fields(model, chw):
    gm, taps, tap_nodes, _ = taps_mod.trace_with_taps(model.eval(), torch.zeros((2,) + tuple(chw)))
    by_name = {t["names"][0]: t for t in taps}
    return gm, taps, tap_nodes, by_name, receptive.tap_fields(gm, taps, tap_nodes)


class Odd(nn.Module):
    """Geometry where plain upsampling is far off: valid 5x5 convolutions, an unpadded stride-2 pool, a dilated
    convolution and a padded 4x4 stride-2 convolution (an even kernel puts its centre between pixels)."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv2d(3, 4, 5)                           # 64 -> 60, centre 2.5
        self.pool = nn.MaxPool2d(2)                           # 60 -> 30, stride 2, centre 3.0
        self.b = nn.Conv2d(4, 4, 3, dilation=2, padding=1)    # 30 -> 28, centre 3.0 + (2 - 1) * 2 = 5.0
        self.c = nn.Conv2d(4, 4, 4, stride=2, padding=1)      # 28 -> 14, stride 4, centre 5.0 + 0.5 * 2 = 6.0
        self.up = nn.Upsample(scale_factor=2)                 # resizing: no field
        self.head = nn.Linear(4, 3)

    def forward(self, x):
        x = self.c(self.b(self.pool(self.a(x)).relu()))
        x = self.up(x)
        return self.head(x.mean((2, 3)))


def test_arithmetic_follows_windows_padding_dilation_and_stops_at_resizing():
    _, taps, _, by_name, fields = _fields(Odd(), (3, 64, 64))
    f = {name: fields.get(t["index"]) for name, t in by_name.items()}
    assert f["a"] == {"stride": [1.0, 1.0], "center": [2.5, 2.5]}
    assert f["pool"] == {"stride": [2.0, 2.0], "center": [3.0, 3.0]}
    assert f["b"] == {"stride": [2.0, 2.0], "center": [5.0, 5.0]}
    assert f["c"] == {"stride": [4.0, 4.0], "center": [6.0, 6.0]}
    assert f["up"] is None


def test_resnet18_stages_are_centred_at_half_a_pixel_and_the_probe_agrees():
    model = torchvision.models.resnet18(num_classes=4)
    chw = (3, 128, 128)
    gm, taps, tap_nodes, by_name, fields = _fields(model, chw)
    strides = {"conv1": 2.0, "maxpool": 4.0, "layer1": 4.0, "layer2": 8.0, "layer3": 16.0, "layer4": 32.0}
    for name, stride in strides.items():
        tap = next(t for t in taps if name in t["names"])
        assert fields[tap["index"]] == {"stride": [stride, stride], "center": [0.5, 0.5]}, name
    check = receptive.check_with_probe(model, taps, fields, chw)
    assert check["disagree"] == []
    assert len(check["agree"]) >= 8  # the stem and layer1 fit inside 128 px; deeper supports reach the border
    assert "conv1" in check["agree"] and "maxpool" in check["agree"]


def test_probe_catches_a_wrong_arithmetic_and_the_tap_is_dropped():
    model = Odd().eval()
    gm, taps, tap_nodes, by_name, fields = _fields(model, (3, 64, 64))
    wrong = dict(fields)
    wrong[by_name["a"]["index"]] = {"stride": [1.0, 1.0], "center": [0.5, 0.5]}  # as if the conv were padded
    check = receptive.check_with_probe(model, taps, wrong, (3, 64, 64))
    assert [name for name, _, _ in check["disagree"]] == ["a"]
    assert "pool" in check["agree"] and "b" in check["agree"]


def test_export_records_the_field_in_the_manifest():
    with tempfile.TemporaryDirectory() as tmp:
        manifest = do_export(Path(tmp) / "pkg")
    taps = {t["names"][-1]: t for t in manifest["taps"]}
    assert all("receptiveField" in t for t in manifest["taps"] if t["shape"][1] > 1), manifest["taps"]
    assert manifest["provenance"]["receptiveFieldsProbed"] >= 1
    assert manifest["provenance"]["receptiveFieldsDropped"] == []
    # stem: a padded 3x3 stride-2 convolution puts cell 0 on pixel 0; the blocks keep the grid
    assert taps["stage"]["receptiveField"] == {"stride": [2.0, 2.0], "center": [0.5, 0.5]}
    assert taps["head"]["receptiveField"] == {"stride": [2.0, 2.0], "center": [0.5, 0.5]}
    # the 16 -> 1 average pool: one 16-cell window of stride 2, centred on (0.5 + 7.5 * 2)
    assert taps["pool"]["receptiveField"] == {"stride": [32.0, 32.0], "center": [15.5, 15.5]}


def test_token_and_channels_last_taps_get_no_field():
    model = torchvision.models.swin_t(num_classes=3).eval()
    gm, taps, tap_nodes, by_name, fields = _fields(model, (3, 64, 64))
    nhwc = [t for t in taps if t.get("layout") == "NHWC"]
    assert nhwc and all(t["index"] not in fields for t in nhwc)
