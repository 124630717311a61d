"""Checkpoint from a shipped model: ONNX weights + model card → a ``--from`` checkpoint.

``python3 -m neurotriage_train.from_onnx --model ../models/infarct-dwi --out RUN/checkpoint.pt``

Shipped models keep only ``model.onnx`` and ``card.json`` in the repository (checkpoints are not
committed). torch.onnx keeps parameter names for initialisers, so the ONNX file holds the state
dict; this rebuilds the network from the card's architecture, loads every weight (strictly: a
missing or extra tensor is an error) and writes a checkpoint that ``train --from`` fine-tunes.
Needs Debian's python3-onnx.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Dict, Optional, Sequence

import torch

from .checkpoint import save_checkpoint, sha256_file
from .model import UNetSpec, build_model
from .requirements import require


def checkpoint_from_onnx(model_dir: Path) -> Dict[str, Any]:
    """The checkpoint payload of a shipped model folder (model.onnx + card.json)."""
    require("onnx")
    import onnx  # noqa: PLC0415 (optional dependency, checked above)
    from onnx import numpy_helper

    card = json.loads((model_dir / "card.json").read_text(encoding="utf-8"))
    onnx_path = model_dir / card["file"]
    if sha256_file(onnx_path) != card["sha256"]:
        raise ValueError(f"{onnx_path} does not match the sha256 of its card")
    arch = card["architecture"]
    spec = UNetSpec(arch["inChannels"], arch["numClasses"], arch["baseChannels"], arch["levels"])
    model = build_model(spec)
    graph = onnx.load(str(onnx_path)).graph
    weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in graph.initializer}
    # the exporter stores equal tensors once and aliases the others through Identity nodes
    for node in graph.node:
        if node.op_type == "Identity" and node.input[0] in weights:
            weights[node.output[0]] = weights[node.input[0]]
    state = model.state_dict()
    missing = [k for k in state if k not in weights]
    if missing:
        raise ValueError(f"{onnx_path} lacks {len(missing)} weights, e.g. {missing[:3]}")
    model.load_state_dict({k: weights[k] for k in state}, strict=True)
    training = card.get("training", {})
    return {
        "model": model.state_dict(),
        "step": int(training.get("steps", 0)),
        "config": training.get("config", {}),
        "spec": spec.to_dict(),
        "seed": training.get("seed"),
        "commands": training.get("commands", []),
        "data": {"task": card.get("task"), "channels": card["inputs"]["channels"],
                 "spacingMm": card["inputs"]["spacingMm"], "normalisation": card["inputs"]["normalisation"],
                 "labels": card.get("labels", {}), **training.get("data", {})},
        "parent": training.get("fineTunedFrom"),
        "fromModel": {"name": card["name"], "version": card["version"], "sha256": card["sha256"]},
    }


def main(argv: Optional[Sequence[str]] = None) -> int:
    p = argparse.ArgumentParser(prog="python3 -m neurotriage_train.from_onnx", description=__doc__.split("\n")[0])
    p.add_argument("--model", required=True, type=Path, help="folder with model.onnx and card.json")
    p.add_argument("--out", required=True, type=Path, help="checkpoint file to write")
    args = p.parse_args(argv)
    payload = checkpoint_from_onnx(args.model)
    save_checkpoint(args.out, payload)
    print(json.dumps({"event": "done", "checkpoint": str(args.out), "from": payload["fromModel"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
