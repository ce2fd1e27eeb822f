"""Self-test of the export tool on a tiny CNN (BatchNorm, a residual block calling its ReLU twice).

Run: /usr/bin/python3 -m pytest models/tools/test_export.py   or   /usr/bin/python3 models/tools/test_export.py
"""
import contextlib
import copy
import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import Tensor, nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export  # noqa: E402
import taps  # noqa: E402

torch.set_num_threads(1)
SHAPE = (3, 32, 32)
CLASSES = 5


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        self.relu = nn.ReLU(inplace=True)
        self.conv2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c)

    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        out += x
        return self.relu(out)


class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8),
                                  nn.ReLU(inplace=True))
        self.stage = nn.Sequential(Block(8), Block(8))
        self.head = nn.Sequential(nn.Conv2d(8, 8, 1), nn.BatchNorm2d(8))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, CLASSES)

    def forward(self, x):
        x = self.head(self.stage(self.stem(x)))
        # In-place calls on a tapped tensor (as in DenseNet), with a positional inplace flag and an unassigned method.
        x = F.hardtanh(x, -1.0, 1.5, True)
        x.mul_(0.5)
        return self.fc(torch.flatten(self.pool(x), 1))


def tiny_model() -> TinyNet:
    torch.manual_seed(0)
    model = TinyNet()
    with torch.no_grad():  # non-trivial running statistics, so that eval mode matters
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    return model


def do_export(out_dir, **kwargs):
    return export.export_package(
        tiny_model(), out_dir, model_id="tiny", name="Tiny", description="tiny test CNN",
        labels=[f"c{i}" for i in range(CLASSES)], input_shape=SHAPE, mean=(0.5,) * 3, std=(0.25,) * 3,
        provenance={"architecture": "TinyNet (test)"}, tap_check_limit=None, **kwargs)


@contextlib.contextmanager
def patched(obj, name, value):
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def _detaching_tap(a: Tensor, i: int, t: int, probe: Tensor) -> Tensor:
    # Broken on purpose: cuts the graph at the tap, so no gradient reaches the input (the trap in the notes).
    if i == t:
        return a.detach() + probe
    return a


def _perturbed_script(tapped):
    broken = copy.deepcopy(tapped)
    with torch.no_grad():
        dict(broken.named_modules())["net.stage.1.conv2"].weight.add_(0.3)
    return torch.jit.script(broken)


def test_export_tiny_cnn():
    with tempfile.TemporaryDirectory() as tmp:
        out, fixtures = Path(tmp) / "tiny", Path(tmp) / "fixtures"
        cases = [{"layer": "head", "classes": None}, {"layer": "stage.0.relu#2", "classes": [1, 2]},
                 {"layer": "stage", "classes": None}]
        manifest = do_export(out, fixtures_dir=fixtures, fixture_cases=cases)

        assert sorted(os.listdir(tmp)) == ["fixtures", "tiny"]  # no temp folders left over
        assert sorted(os.listdir(out)) == ["manifest.json", "model.pt", "synset.txt"]
        on_disk = json.loads((out / "manifest.json").read_text())
        assert on_disk == manifest
        assert on_disk["sha256"] == hashlib.sha256((out / "model.pt").read_bytes()).hexdigest()
        assert (out / "synset.txt").read_text() == "".join(f"c{i}\n" for i in range(CLASSES))
        assert manifest["numClasses"] == CLASSES and manifest["defaultLayer"] == "head"

        v = manifest["verification"]
        for key in ("maxAbsLogitDiff", "maxAbsGradCamDiff", "maxAbsSaliencyDiff"):
            assert v[key] <= 1e-4, (key, v[key])
        assert v["tapsRunScripted"] == len(manifest["taps"])

        by_name = {n: t for t in manifest["taps"] for n in t["names"]}
        assert [t["index"] for t in manifest["taps"]] == list(range(len(manifest["taps"])))
        last = by_name["stage"]
        assert last["names"] == ["stage.1.relu#2", "stage.1", "stage"] and last["shape"] == [8, 16, 16]
        assert by_name["stage.0.relu#2"]["names"] == ["stage.0.relu#2", "stage.0"]
        assert by_name["stem"]["names"] == ["stem.2", "stem"]
        assert by_name["stage.0.relu"]["index"] < by_name["stage.0.relu#2"]["index"]
        assert "pool" in by_name and "fc" not in by_name  # 4-D outputs only
        assert by_name["head"]["names"] == ["head.1", "head"]

        files = {"saliency_studio.json": ""}
        loaded = torch.jit.load(str(out / "model.pt"), _extra_files=files)
        embedded = json.loads(files["saliency_studio.json"])
        assert embedded == {k: val for k, val in manifest.items() if k != "sha256"}
        assert any(name.startswith("net.stage.1.conv2") for name, _ in loaded.named_parameters())

        x = torch.randn((3,) + SHAPE)
        logits = tiny_model().eval()(x).detach()
        assert torch.allclose(loaded(x), logits, atol=1e-5)
        l2, act = loaded.forward_tap(x, torch.tensor(-1), torch.zeros(0))
        assert torch.equal(act, x) and torch.allclose(l2, logits, atol=1e-5)
        with_probe, act = loaded.forward_tap(x, torch.tensor(last["index"]), torch.ones([3] + last["shape"]))
        assert list(act.shape) == [3] + last["shape"]
        assert not torch.allclose(with_probe, logits)  # the probe is really added
        for bad in (lambda: loaded.forward_tap(x, torch.tensor(last["index"]), torch.zeros([1] + last["shape"])),
                    lambda: loaded.forward_tap(x, torch.tensor(len(manifest["taps"])), torch.zeros(0))):
            try:
                bad()
            except Exception:
                pass
            else:
                raise AssertionError("forward_tap accepted a bad probe or tap index")

        import numpy as np
        doc = json.loads((fixtures / "cases.json").read_text())
        assert [c["layer"] for c in doc["cases"]] == ["head", "stage.0.relu#2", "stage"]
        assert doc["cases"][1]["classes"] == [1, 2]
        assert np.load(fixtures / "input.npy").shape == (2,) + SHAPE
        assert np.load(fixtures / "logits.npy").shape == (2, CLASSES)
        for i in range(3):
            assert np.load(fixtures / f"saliency_{i}.npy").shape == (2, 32, 32)
            assert np.load(fixtures / f"gradcam_{i}.npy").shape == (2, 32, 32)
            assert np.load(fixtures / f"gradcam_layer_{i}.npy").shape == (2, 16, 16)
            assert np.load(fixtures / f"saliency_{i}.npy").dtype == np.float32


def _assert_refused(**patch):
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "tiny"
        try:
            do_export(out, fixtures_dir=Path(tmp) / "fixtures")
        except export.VerificationError as e:
            message = str(e)
        else:
            raise AssertionError("a broken export was accepted")
        assert os.listdir(tmp) == [], os.listdir(tmp)  # nothing written, no temp folder left
        return message


def test_tap_that_cuts_the_graph_is_refused():
    with patched(taps, "_tap", _detaching_tap):
        message = _assert_refused()
    assert "gradient" in message or "saliency" in message, message


def test_module_that_differs_from_eager_is_refused():
    with patched(export, "script_module", _perturbed_script):
        message = _assert_refused()
    assert "logits" in message, message


def test_replaces_existing_package_keeping_foreign_files():
    with tempfile.TemporaryDirectory() as tmp:
        out, fixtures = Path(tmp) / "tiny", Path(tmp) / "fixtures"
        out.mkdir()
        fixtures.mkdir()
        for f in (out / "model.pt", out / "notes.txt", fixtures / "saliency_7.npy", fixtures / "README.md"):
            f.write_text("old")
        manifest = do_export(out, fixtures_dir=fixtures)
        assert sorted(os.listdir(out)) == ["manifest.json", "model.pt", "notes.txt", "synset.txt"]
        assert manifest["sha256"] == hashlib.sha256((out / "model.pt").read_bytes()).hexdigest()
        assert sorted(os.listdir(fixtures)) == ["README.md", "cases.json", "gradcam_0.npy", "gradcam_layer_0.npy",
                                                "input.npy", "logits.npy", "saliency_0.npy"]
        assert sorted(os.listdir(tmp)) == ["fixtures", "tiny"]


if __name__ == "__main__":
    for name, fn in list(globals().items()):
        if name.startswith("test_") and callable(fn):
            fn()
            print("ok", name)
