"""Validation by site: what the single validation Dice of a run hides.

``python3 -m neurotriage_train.val_report --arrays DIR --checkpoint FILE`` runs the
checkpoint on the validation split (centre crops, as ``validate.py``) and prints, per site and
for cases with and without a lesion: mean Dice (cases with a lesion), false-positive mL on
lesion-free cases, the share of lesion-free cases with any predicted voxel, and the lesion
volume found against the truth. One JSON line per site with ``--json``.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import numpy as np
import torch

from .checkpoint import load_checkpoint, model_from_checkpoint
from .data import centre_crop, load_index, open_case


def main(argv: List[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python3 -m neurotriage_train.val_report", description=__doc__.split("\n")[0])
    p.add_argument("--arrays", type=Path, required=True)
    p.add_argument("--checkpoint", type=Path, required=True)
    p.add_argument("--split", default="val")
    p.add_argument("--json", action="store_true")
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    torch.set_num_threads(args.threads)
    data = load_checkpoint(args.checkpoint)
    model = model_from_checkpoint(data).eval()
    config = data.get("config", {})
    crop = config.get("val_crop_size") or config.get("valCropSize") or [64, 96, 96]
    index = load_index(args.arrays)
    voxel_ml = float(np.prod(index.spacing_mm)) / 1000.0
    rows: Dict[str, Dict[str, list]] = defaultdict(lambda: defaultdict(list))
    with torch.no_grad():
        for entry in index.split(args.split):
            case = open_case(entry)
            image, label = centre_crop(case.image, case.label, crop, model.spec.divisor)
            pred = model(torch.from_numpy(image[None])).argmax(dim=1)[0].numpy() > 0
            truth = label > 0
            site = rows[entry.site]
            if truth.any():
                inter = float((pred & truth).sum())
                site["dice"].append(2 * inter / float(pred.sum() + truth.sum()))
                site["found_ml"].append(float(pred.sum()) * voxel_ml)
                site["truth_ml"].append(float(truth.sum()) * voxel_ml)
            else:
                site["fp_ml"].append(float(pred.sum()) * voxel_ml)
    for name in sorted(rows):
        r = rows[name]
        summary = {
            "site": name,
            "lesionCases": len(r["dice"]),
            "meanDice": round(float(np.mean(r["dice"])), 3) if r["dice"] else None,
            "foundMl": round(float(np.median(r["found_ml"])), 2) if r["found_ml"] else None,
            "truthMl": round(float(np.median(r["truth_ml"])), 2) if r["truth_ml"] else None,
            "normalCases": len(r["fp_ml"]),
            "normalsWithAnyVoxel": sum(1 for v in r["fp_ml"] if v > 0),
            "medianFalseMl": round(float(np.median(r["fp_ml"])), 2) if r["fp_ml"] else None,
        }
        print(json.dumps(summary) if args.json else "  ".join(f"{k}={v}" for k, v in summary.items()))


if __name__ == "__main__":
    main()
