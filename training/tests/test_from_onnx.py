"""A shipped model (ONNX + card) read back into a checkpoint gives the same network."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import torch

from neurotriage_train import export
from neurotriage_train.checkpoint import load_checkpoint, model_from_checkpoint, save_checkpoint
from neurotriage_train.from_onnx import checkpoint_from_onnx
from neurotriage_train.model import UNetSpec, build_model

REPO = Path(__file__).resolve().parents[2]


def test_round_trip_through_onnx_keeps_every_weight(tmp_path: Path) -> None:
    torch.manual_seed(3)
    spec = UNetSpec(in_channels=2, num_classes=2, base_channels=4, levels=3)
    model = build_model(spec)
    with torch.no_grad():  # non-default norm parameters, some equal (the exporter aliases those)
        for name, p in model.named_parameters():
            p.copy_(torch.randn_like(p) if "weight" in name else torch.zeros_like(p))
    ckpt = tmp_path / "ckpt.pt"
    data = {"task": "infarct", "channels": ["dwi", "adc"], "spacingMm": [2, 2, 2], "normalisation": "dwi-adc",
            "labels": {"1": "infarct"}, "cases": {"train": 1, "val": 0, "test": 0}}
    save_checkpoint(ckpt, {"model": model.state_dict(), "step": 7, "config": {"patchSize": [16, 16, 16]},
                           "spec": spec.to_dict(), "data": data, "seed": 1})
    folder = tmp_path / "model"
    assert export.main(["--checkpoint", str(ckpt), "--out", str(folder / "model.onnx"),
                        "--card", str(folder / "card.json")]) == 0
    back = model_from_checkpoint(checkpoint_from_onnx(folder))
    for (name, a), (_, b) in zip(model.state_dict().items(), back.state_dict().items()):
        assert torch.equal(a, b), name
    x = torch.randn(1, 2, 16, 16, 16)
    model.eval()
    back.eval()
    assert torch.allclose(model(x), back(x))


def test_a_card_that_does_not_match_its_onnx_is_refused(tmp_path: Path) -> None:
    shipped = REPO / "models" / "infarct-dwi"
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "model.onnx").write_bytes((shipped / "model.onnx").read_bytes()[:-1] + b"\0")
    (folder / "card.json").write_text((shipped / "card.json").read_text())
    with pytest.raises(ValueError, match="does not match the sha256"):
        checkpoint_from_onnx(folder)


def test_the_shipped_infarct_model_reads_back(tmp_path: Path) -> None:
    payload = checkpoint_from_onnx(REPO / "models" / "infarct-dwi")
    card = json.loads((REPO / "models" / "infarct-dwi" / "card.json").read_text())
    assert payload["fromModel"]["sha256"] == card["sha256"]
    save_checkpoint(tmp_path / "c.pt", payload)
    model = model_from_checkpoint(load_checkpoint(tmp_path / "c.pt"))
    x = torch.from_numpy(np.load(REPO / "models" / "infarct-dwi" / "parity" / "input.npy"))
    y = np.load(REPO / "models" / "infarct-dwi" / "parity" / "torch_logits.npy")
    model.eval()
    with torch.no_grad():
        assert np.allclose(model(x).numpy(), y, atol=1e-4)
