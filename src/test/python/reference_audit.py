"""Reference figures of an audit of assets/samples/shapes with models/shapes, from eager PyTorch (no Java code).

    /usr/bin/python3 src/test/python/reference_audit.py > src/test/resources/audit/shapes-reference.json

torch.jit.load of the package's model.pt, PIL decode, the manifest's preprocessing, softmax in float64 of the float32
logits; then the per-image row (predicted, confidence, p_true, margin, loss, rank) and the aggregates the audit
writes: accuracy, top-5 accuracy, confusion counts, per-class precision/recall/F1/support and the expected
calibration error over 15 equal-width bins of the top-1 confidence ((lower, upper], as Guo et al. 2017).
AuditCliTest compares summary.json and predictions.csv with this file.
"""
import csv
import json
import math
import pathlib

import numpy as np
import torch
from PIL import Image

ROOT = pathlib.Path(__file__).resolve().parents[3]
MODEL = ROOT / "models" / "shapes"
DATA = ROOT / "assets" / "samples" / "shapes"


def main():
    torch.set_num_threads(1)
    manifest = json.loads((MODEL / "manifest.json").read_text())
    labels = [l.strip() for l in (MODEL / manifest["labels"]).read_text().splitlines() if l.strip()]
    spec, pre = manifest["input"], manifest["preprocessing"]
    mean = np.array(pre["mean"], dtype=np.float32)[:, None, None]
    std = np.array(pre["std"], dtype=np.float32)[:, None, None]
    model = torch.jit.load(str(MODEL / manifest["file"])).eval()
    with open(DATA / "labels.csv", newline="") as f:
        rows = [(r["file"], labels.index(r["label"])) for r in csv.DictReader(f)]
    x = []
    for name, _ in rows:
        img = Image.open(DATA / name).convert("RGB")
        assert img.size == (spec["width"], spec["height"])
        a = np.asarray(img, dtype=np.float32).transpose(2, 0, 1)
        x.append((a / np.float32(pre["scale"]) - mean) / std)
    with torch.no_grad():
        logits = model(torch.from_numpy(np.stack(x))).double()
    p = torch.softmax(logits, 1).numpy()
    k = len(labels)
    confusion = np.zeros((k, k), dtype=int)
    out_rows = []
    bins = [[0, 0.0, 0] for _ in range(15)]
    top5 = 0
    for (name, t), pi in zip(rows, p):
        order = sorted(range(k), key=lambda j: (-pi[j], j))
        pred = order[0]
        rank = order.index(t) + 1
        confusion[t, pred] += 1
        top5 += rank <= 5
        conf = float(pi[pred])
        for b in range(15):
            if b / 15 < conf <= (b + 1) / 15 or (b == 0 and conf == 0):
                bins[b][0] += 1
                bins[b][1] += conf
                bins[b][2] += pred == t
        out_rows.append({"image": name, "true": labels[t], "predicted": labels[pred], "confidence": conf,
                         "true_probability": float(pi[t]), "margin": float(pi[order[0]] - pi[order[1]]),
                         "loss": -math.log(float(pi[t])), "true_rank": rank})
    n = len(rows)
    ece = sum(c / n * abs(ok / c - s / c) for c, s, ok in bins if c)
    classes = []
    for j in range(k):
        tp, support, predicted = int(confusion[j, j]), int(confusion[j].sum()), int(confusion[:, j].sum())
        prec = tp / predicted if predicted else None
        rec = tp / support if support else None
        f1 = None if prec is None or rec is None else (0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec))
        classes.append({"label": labels[j], "precision": prec, "recall": rec, "f1": f1, "support": support})
    print(json.dumps({"images": n, "accuracy": float(np.trace(confusion)) / n, "top5Accuracy": top5 / n,
                      "expectedCalibrationError": ece, "confusion": confusion.tolist(), "classes": classes,
                      "rows": out_rows}, indent=1))


if __name__ == "__main__":
    main()
