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

import pytest
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



# ---------------------------------------------------------------------------------------------------------------
# One model per torchvision family, small (default run), and every torchvision classification builder (-m full)
# ---------------------------------------------------------------------------------------------------------------

def _small_classifier(model, attr, features):
    """AlexNet and VGG keep their convolutional features; their 4096-wide classifiers would dominate test time."""
    setattr(model, attr, nn.Sequential(nn.Dropout(), nn.Linear(features, 32), nn.ReLU(), nn.Linear(32, CLASSES)))
    return model


def _family_models():
    import torchvision.models as tvm
    from torchvision.models.convnext import CNBlockConfig
    from torchvision.models.swin_transformer import PatchMergingV2, SwinTransformerBlockV2

    swin = dict(patch_size=[4, 4], embed_dim=16, depths=[2, 2], num_heads=[2, 2], window_size=[2, 2],
                num_classes=CLASSES)
    return {
        # family: (builder, input C,H,W)
        "alexnet": (lambda: _small_classifier(tvm.alexnet(weights=None), "classifier", 256 * 6 * 6), (3, 64, 64)),
        "vgg": (lambda: _small_classifier(tvm.vgg11_bn(weights=None), "classifier", 512 * 7 * 7), (3, 32, 32)),
        "squeezenet": (lambda: tvm.squeezenet1_1(weights=None, num_classes=CLASSES), (3, 64, 64)),
        "googlenet": (lambda: tvm.googlenet(weights=None, num_classes=CLASSES, aux_logits=False, init_weights=True),
                      (3, 64, 64)),
        "inception_v3": (lambda: tvm.inception_v3(weights=None, num_classes=CLASSES, aux_logits=False,
                                                  init_weights=True), (3, 75, 75)),
        "resnet": (lambda: tvm.resnet18(weights=None, num_classes=CLASSES), (3, 64, 64)),
        "resnext": (lambda: tvm.ResNet(tvm.resnet.Bottleneck, [1, 1, 1, 1], num_classes=CLASSES, groups=4,
                                       width_per_group=4), (3, 32, 32)),
        "wide_resnet": (lambda: tvm.ResNet(tvm.resnet.Bottleneck, [1, 1, 1, 1], num_classes=CLASSES,
                                           width_per_group=128), (3, 32, 32)),
        "shufflenet_v2": (lambda: tvm.shufflenet_v2_x0_5(weights=None, num_classes=CLASSES), (3, 64, 64)),
        "mnasnet": (lambda: tvm.mnasnet0_5(weights=None, num_classes=CLASSES), (3, 64, 64)),
        "mobilenet_v2": (lambda: tvm.mobilenet_v2(weights=None, num_classes=CLASSES, width_mult=0.25), (3, 32, 32)),
        "mobilenet_v3": (lambda: tvm.mobilenet_v3_small(weights=None, num_classes=CLASSES), (3, 64, 64)),
        "regnet": (lambda: tvm.regnet_y_400mf(weights=None, num_classes=CLASSES), (3, 64, 64)),
        "efficientnet": (lambda: tvm.efficientnet_b0(weights=None, num_classes=CLASSES), (3, 32, 32)),
        "densenet": (lambda: tvm.DenseNet(growth_rate=8, block_config=(2, 2), num_init_features=16, bn_size=2,
                                          num_classes=CLASSES), (3, 32, 32)),
        "convnext": (lambda: tvm.ConvNeXt([CNBlockConfig(16, 32, 1), CNBlockConfig(32, None, 1)],
                                          num_classes=CLASSES), (3, 32, 32)),
        "swin": (lambda: tvm.SwinTransformer(**swin), (3, 32, 32)),
        "swin_v2": (lambda: tvm.SwinTransformer(**swin, block=SwinTransformerBlockV2, downsample_layer=PatchMergingV2),
                    (3, 32, 32)),
        "vit": (lambda: tvm.VisionTransformer(image_size=32, patch_size=8, num_layers=2, num_heads=2, hidden_dim=32,
                                              mlp_dim=64, num_classes=CLASSES), (3, 32, 32)),
        "maxvit": (lambda: tvm.MaxVit(input_size=(32, 32), stem_channels=8, partition_size=2, block_channels=[16, 32],
                                      block_layers=[1, 1], head_dim=8, stochastic_depth_prob=0.0,
                                      num_classes=CLASSES), (3, 32, 32)),
    }


FAMILIES = ["alexnet", "vgg", "squeezenet", "googlenet", "inception_v3", "resnet", "resnext",
            pytest.param("wide_resnet", marks=pytest.mark.full),  # a wider resnet: 40 s for no new structure
            "shufflenet_v2", "mnasnet", "mobilenet_v2", "mobilenet_v3", "regnet", "efficientnet", "densenet",
            "convnext", "swin", "swin_v2", "vit", "maxvit"]
EXPECTED_DEFAULT = {"vit": "encoder.layers.encoder_layer_1.ln_1", "swin": "features.3.1.norm1",
                    "swin_v2": "features.3.1.norm1", "maxvit": "blocks.1.layers.0.layers.MBconv", "resnet": "layer4"}
EXPECTED_LAYOUT = {"vit": "tokens", "swin": "NHWC", "swin_v2": "NHWC"}


def _randomise(model):
    """Seeded non-trivial weights where torchvision's initialisation gives no signal: zeroed heads (ViT) and
    identity BatchNorms (running statistics 0/1), so that eval mode and folding matter."""
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.running_mean.copy_(torch.rand(m.running_mean.shape, generator=gen) - 0.5)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=gen) + 0.5)
            if isinstance(m, nn.Linear) and float(m.weight.abs().max()) == 0.0:
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * 0.5)
    return model


def _engine_gradcam(loaded, x, tap, classes):
    """Grad-CAM at layer resolution as a reader of the manifest computes it: forward_tap with a zero probe of the
    tap's shape, then the channel and grid axes from its layout (FORMAT.md), written out independently of
    reference.py."""
    probe = torch.zeros([x.shape[0]] + tap["shape"], requires_grad=True)
    logits, act = loaded.forward_tap(x, torch.tensor(tap["index"]), probe)
    logits.gather(1, torch.tensor(classes)[:, None]).sum().backward()
    act, grad = act.detach(), probe.grad
    layout = tap.get("layout", "NCHW")
    if layout == "NHWC":
        act, grad = act.permute(0, 3, 1, 2), grad.permute(0, 3, 1, 2)
    elif layout == "tokens":
        h, w = tap["grid"]
        k = tap["prefixTokens"]
        assert tap["shape"][0] == k + h * w
        act = act[:, k:, :].reshape(x.shape[0], h, w, -1).permute(0, 3, 1, 2)
        grad = grad[:, k:, :].reshape(x.shape[0], h, w, -1).permute(0, 3, 1, 2)
    cam = torch.relu((grad.mean(dim=(2, 3), keepdim=True) * act).sum(dim=1))
    cam = cam - cam.flatten(1).min(dim=1).values[:, None, None]
    return cam / torch.clamp(cam.flatten(1).max(dim=1).values, min=1e-8)[:, None, None]


def _grad_cam_reshape_reference(model, x, layer, classes):
    """pytorch-grad-cam's route: hooks on the module, then its examples' reshape_transform for transformers."""
    import torchvision.models as tvm
    module = dict(model.named_modules())[layer]
    kept = {}

    def hook(_m, _i, out):
        kept["act"] = out
        out.register_hook(lambda g: kept.__setitem__("grad", g))
        return out.clone()  # DenseNet applies F.relu(..., inplace=True) to the hooked output

    h = module.register_forward_hook(hook)
    try:
        logits = model(x)
        logits.gather(1, torch.tensor(classes)[:, None]).sum().backward()
    finally:
        h.remove()
    act, grad = kept["act"].detach(), kept["grad"]
    if isinstance(model, tvm.VisionTransformer):
        side = model.image_size // model.patch_size

        def reshape_transform(tensor, height=side, width=side):
            result = tensor[:, 1:, :].reshape(tensor.size(0), height, width, tensor.size(2))
            return result.transpose(2, 3).transpose(1, 2)
        act, grad = reshape_transform(act), reshape_transform(grad)
    elif isinstance(model, tvm.SwinTransformer):
        def reshape_transform(tensor):
            return tensor.reshape(tensor.size(0), tensor.size(1), tensor.size(2), tensor.size(3)) \
                .transpose(2, 3).transpose(1, 2)
        act, grad = reshape_transform(act), reshape_transform(grad)
    cam = torch.relu((grad.mean(dim=(2, 3), keepdim=True) * act).sum(dim=1))
    cam = cam - cam.flatten(1).min(dim=1).values[:, None, None]
    return cam / torch.clamp(cam.flatten(1).max(dim=1).values, min=1e-8)[:, None, None]


def _export_and_check(family, model, shape, randomise=True):
    model = (_randomise(model) if randomise else model).eval()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / family
        manifest = export.export_package(
            model, out, model_id=family, name=family, description="family test",
            labels=[f"c{i}" for i in range(int(model(torch.zeros((1,) + shape)).shape[1]))], input_shape=shape)
        loaded = torch.jit.load(str(out / "model.pt")).eval()
    v = manifest["verification"]
    assert v["maxRelLogitDiff"] <= 1e-4
    assert all("layout" in t for t in manifest["taps"])
    for t in manifest["taps"]:
        if t["layout"] == "tokens" and t.get("grid"):
            assert t["shape"][0] == t["prefixTokens"] + t["grid"][0] * t["grid"][1]
    by_name = {n: t for t in manifest["taps"] for n in t["names"]}
    default = manifest["defaultLayer"]
    if family in EXPECTED_DEFAULT:
        assert default == EXPECTED_DEFAULT[family], default
    if family in EXPECTED_LAYOUT:
        assert by_name[default]["layout"] == EXPECTED_LAYOUT[family], by_name[default]
    prov = manifest["provenance"]
    assert prov["torch"] == torch.__version__ and prov["torchvision"]
    # Grad-CAM maps (not only shapes) through the manifest's layout, against pytorch-grad-cam's reshape route.
    x = torch.randn((2,) + shape, generator=torch.Generator().manual_seed(4))
    with torch.no_grad():
        classes = model(x).argmax(dim=1).tolist()
    want = _grad_cam_reshape_reference(model, x, default, classes)
    got = _engine_gradcam(loaded, x, by_name[default], classes)
    assert got.shape == want.shape, (got.shape, want.shape)
    if float((got - want).abs().max()) > 1e-3:  # float32 ties (see README): judge in float64 then
        m64, x64 = copy.deepcopy(model).double(), x.double()
        want64 = _grad_cam_reshape_reference(m64, x64, default, classes)
        assert float((got.double() - want64).abs().max()) <= 2 * float((want.double() - want64).abs().max()) + 1e-3
    return manifest


@pytest.mark.parametrize("family", FAMILIES)
def test_every_torchvision_family_exports_and_verifies(family):
    torch.manual_seed(0)
    builder, shape = _family_models()[family]
    _export_and_check(family, builder(), shape)


def test_swin_stages_are_nhwc_and_vit_blocks_are_tokens():
    import torchvision.models as tvm
    torch.manual_seed(0)
    swin = _family_models()["swin"][0]()
    with tempfile.TemporaryDirectory() as tmp:
        m = export.export_package(swin.eval(), Path(tmp) / "s", model_id="s", name="s", description="",
                                  labels=[str(i) for i in range(CLASSES)], input_shape=(3, 32, 32))
    by_name = {n: t for t in m["taps"] for n in t["names"]}
    assert by_name["features.1"]["layout"] == "NHWC" and by_name["features.1"]["shape"] == [8, 8, 16]
    assert by_name["features.3"]["shape"] == [4, 4, 32]
    assert by_name["features.0.0"]["layout"] == "NCHW" and by_name["features.0.0"]["shape"] == [16, 8, 8]
    assert by_name["permute"]["layout"] == "NCHW"
    torch.manual_seed(0)
    vit = _family_models()["vit"][0]()
    assert isinstance(vit, tvm.VisionTransformer)
    with tempfile.TemporaryDirectory() as tmp:
        m = export.export_package(_randomise(vit).eval(), Path(tmp) / "v", model_id="v", name="v", description="",
                                  labels=[str(i) for i in range(CLASSES)], input_shape=(3, 32, 32))
    by_name = {n: t for t in m["taps"] for n in t["names"]}
    block = by_name["encoder.layers.encoder_layer_0"]
    assert block["layout"] == "tokens" and block["shape"] == [17, 32]
    assert block["prefixTokens"] == 1 and block["grid"] == [4, 4]
    assert by_name["conv_proj"]["layout"] == "NCHW"


def test_untraceable_module_is_named_with_the_way_out():
    class Gate(nn.Module):
        def forward(self, x):
            if x.sum() > 0:  # data-dependent Python control flow
                return x
            return -x

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 4, 3, padding=1)
            self.gate = Gate()
            self.fc = nn.Linear(4, CLASSES)

        def forward(self, x):
            return self.fc(self.gate(self.conv(x)).mean(dim=(2, 3)))

    with tempfile.TemporaryDirectory() as tmp:
        try:
            export.export_package(Net(), Path(tmp) / "n", model_id="n", name="n", description="",
                                  labels=[str(i) for i in range(CLASSES)], input_shape=(3, 16, 16))
        except taps.TraceFailure as e:
            message = str(e)
        else:
            raise AssertionError("an untraceable model was exported")
        assert "'gate'" in message and "leaf" in message and "export_package" in message, message
        # The way out works: a leaf module is compiled whole, and its output is still a tap.
        m = export.export_package(Net(), Path(tmp) / "n", model_id="n", name="n", description="",
                                  labels=[str(i) for i in range(CLASSES)], input_shape=(3, 16, 16),
                                  leaf_modules=["gate"], tap_layouts={"gate": "NCHW"})
        assert "gate" in {n for t in m["taps"] for n in t["names"]}


class _ToChannelsLast(nn.Module):
    def forward(self, x):
        return x.permute(0, 2, 3, 1)


class _FixedSizeNet(nn.Module):
    """A channels-last map made inside a leaf module (opaque to the layout rules), and a classifier on the flattened
    map that accepts only this input size (so no shape probe either)."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, padding=1)
        self.perm = _ToChannelsLast()
        self.fc = nn.Linear(4 * 8 * 8, CLASSES)

    def forward(self, x):
        return self.fc(torch.flatten(self.perm(self.conv(x)), 1))


def test_a_tap_whose_layout_cannot_be_decided_is_refused_not_guessed():
    kwargs = dict(model_id="f", name="f", description="", labels=[str(i) for i in range(CLASSES)],
                  input_shape=(3, 8, 8), leaf_modules=["perm"])
    with tempfile.TemporaryDirectory() as tmp:
        torch.manual_seed(0)
        try:
            export.export_package(_FixedSizeNet(), Path(tmp) / "f", **kwargs)
        except taps.LayoutError as e:
            message = str(e)
        else:
            raise AssertionError("a 4-D tap of unknown layout was exported")
        assert "'perm'" in message and "tap_layouts" in message, message
        assert not (Path(tmp) / "f").exists()
        torch.manual_seed(0)
        m = export.export_package(_FixedSizeNet(), Path(tmp) / "f", tap_layouts={"perm": "NHWC"}, **kwargs)
    by_name = {n: t for t in m["taps"] for n in t["names"]}
    assert by_name["perm"]["layout"] == "NHWC" and by_name["perm"]["shape"] == [8, 8, 4]
    assert by_name["conv"]["layout"] == "NCHW"


def _all_builders():
    try:
        import torchvision.models as tvm
        return tvm.list_models(module=tvm)
    except Exception:  # pragma: no cover
        return []


@pytest.mark.full
@pytest.mark.parametrize("arch", _all_builders())
def test_every_torchvision_classifier_at_its_default_size(arch):
    """Every torchvision classification builder with export.py's defaults (random weights, 10 classes, 3x224x224,
    inception_v3 3x299x299): hours on 2 cores. Run with `-m full` (or EXPORT_TEST_FULL=1)."""
    size = (3, 299, 299) if arch == "inception_v3" else (3, 224, 224)
    torch.manual_seed(0)
    model = export.build_torchvision(arch, 10)
    _export_and_check(arch, model, size, randomise=False)


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q", "-p", "no:cacheprovider"] + sys.argv[1:]))
