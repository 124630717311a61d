"""Smoke test of the whole training path on a tiny synthetic dataset.

Builds 6 cases of 1×24×32×32 with bright blobs labelled 1 (fixed numpy seed, in the
exact index.json layout the TypeScript side writes), trains a tiny network, and checks
that the loss falls, resume continues at the right step, fine-tuning works, export writes
an ONNX file with a matching card, and config validation rejects bad input.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import numpy as np
import pytest

from neurotriage_train import export, train
from neurotriage_train.augment import augment_pair
from neurotriage_train.checkpoint import load_checkpoint, sha256_file
from neurotriage_train.config import AugmentConfig, ConfigError, config_from_dict, load_config
from neurotriage_train.data import CaseEntry, PatchSampler, lesion_components, load_index, open_case

STEPS = 50
TINY_CONFIG: Dict[str, Any] = {
    "version": 1,
    "patchSize": [16, 32, 32],
    "batchSize": 2,
    "learningRate": 0.02,
    "steps": STEPS,
    "seed": 7,
    "pFg": 0.5,
    "baseChannels": 8,
    "valInterval": 25,
    "valCropSize": [24, 32, 32],
    "checkpointInterval": 25,
    "augment": {"probability": 0.2},
}


def make_dataset(root: Path, n_cases: int = 6) -> Path:
    """Write cases with one or two bright spheres (label 1) on a noisy background."""
    rng = np.random.default_rng(42)
    zz, yy, xx = np.meshgrid(np.arange(24), np.arange(32), np.arange(32), indexing="ij")
    cases: List[Dict[str, Any]] = []
    for i in range(n_cases):
        image = rng.normal(0.0, 0.3, size=(1, 24, 32, 32)).astype(np.float32)
        label = np.zeros((24, 32, 32), dtype=np.uint8)
        for _ in range(int(rng.integers(1, 3))):
            c = rng.integers([5, 6, 6], [19, 26, 26])
            r = float(rng.uniform(2.5, 4.5))
            blob = (zz - c[0]) ** 2 + (yy - c[1]) ** 2 + (xx - c[2]) ** 2 <= r * r
            label[blob] = 1
            image[0][blob] += 2.0
        case_id = f"case{i:02d}"
        folder = root / "cases" / case_id
        folder.mkdir(parents=True)
        np.save(folder / "image.npy", image)
        np.save(folder / "label.npy", label)
        cases.append({
            "id": case_id, "image": f"cases/{case_id}/image.npy", "label": f"cases/{case_id}/label.npy",
            "shape": [1, 24, 32, 32], "site": f"site{i % 3}", "split": "val" if i == n_cases - 1 else "train",
        })
    index = {"version": 1, "task": "ich", "channels": ["ct"], "labels": {"1": "intraparenchymal"},
             "spacingMm": [2, 2, 2], "cases": cases}
    (root / "index.json").write_text(json.dumps(index))
    return root


def read_log(out: Path) -> List[Dict[str, Any]]:
    return [json.loads(line) for line in (out / "log.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Dict[str, Path]:
    """Dataset, config file and one full training run shared by the tests."""
    root = tmp_path_factory.mktemp("nt")
    data = make_dataset(root / "data")
    config = root / "config.json"
    config.write_text(json.dumps(TINY_CONFIG))
    out = root / "run"
    assert train.main(["--data", str(data), "--out", str(out), "--config", str(config)]) == 0
    return {"root": root, "data": data, "config": config, "out": out}


def test_loss_falls_and_log_is_complete(workspace: Dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    records = read_log(workspace["out"])
    steps = [r for r in records if r["event"] == "train"]
    assert [r["step"] for r in steps] == list(range(1, STEPS + 1))
    for key in ("loss", "dice_loss", "ce_loss", "lr", "seconds"):
        assert all(isinstance(r[key], float) for r in steps), key
    first = float(np.mean([r["loss"] for r in steps[:10]]))
    last = float(np.mean([r["loss"] for r in steps[-10:]]))
    assert last < 0.5 * first, (first, last)
    vals = [r for r in records if r["event"] == "val"]
    assert [v["step"] for v in vals] == [25, 50]
    assert set(vals[-1]["dice"]) == {"intraparenchymal"}
    assert vals[-1]["dice"]["intraparenchymal"] > 0.5


def test_progress_lines_are_json(tmp_path: Path, workspace: Dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "short"
    assert train.main(["--data", str(workspace["data"]), "--out", str(out), "--config", str(workspace["config"]), "--steps", "3"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    progress = [e for e in events if e["event"] == "progress"]
    assert [(e["step"], e["of"]) for e in progress] == [(1, 3), (2, 3), (3, 3)]
    assert events[0]["event"] == "start" and events[-1]["event"] == "done"


def test_resume_continues_at_the_right_step(tmp_path: Path, workspace: Dict[str, Path]) -> None:
    # A constant learning rate, so that extending the run does not change steps 1-6.
    config = tmp_path / "constant.json"
    config.write_text(json.dumps({**TINY_CONFIG, "lrSchedule": "constant"}))
    out = tmp_path / "resume"
    args = ["--data", str(workspace["data"]), "--out", str(out), "--config", str(config)]
    assert train.main(args + ["--steps", "6"]) == 0
    assert load_checkpoint(out / "checkpoint.pt")["step"] == 6
    assert train.main(args + ["--steps", "6"]) == 2  # refuses to overwrite without --resume
    with open(out / "log.jsonl", "a") as log:  # a step logged after the last checkpoint (a crash)
        log.write(json.dumps({"event": "train", "step": 7, "loss": 9.0}) + "\n")
    assert train.main(["--data", str(workspace["data"]), "--out", str(out), "--resume", "--steps", "10"]) == 0
    steps = [r["step"] for r in read_log(out) if r["event"] == "train"]
    assert steps == list(range(1, 11))
    ckpt = load_checkpoint(out / "checkpoint.pt")
    assert ckpt["step"] == 10 and len(ckpt["commands"]) == 2
    # The resumed run reproduces an uninterrupted one with the same seed.
    straight = tmp_path / "straight"
    assert train.main(["--data", str(workspace["data"]), "--out", str(straight), "--config", str(config), "--steps", "10"]) == 0
    a = [r["loss"] for r in read_log(out) if r["event"] == "train"]
    b = [r["loss"] for r in read_log(straight) if r["event"] == "train"]
    assert np.allclose(a, b, rtol=1e-4), (a, b)


def test_fine_tune_from_checkpoint(tmp_path: Path, workspace: Dict[str, Path]) -> None:
    parent = workspace["out"] / "checkpoint.pt"
    out = tmp_path / "ft"
    assert train.main(["--data", str(workspace["data"]), "--out", str(out), "--config", str(workspace["config"]),
                       "--from", str(parent), "--steps", "5"]) == 0
    ckpt = load_checkpoint(out / "checkpoint.pt")
    assert ckpt["step"] == 5
    assert ckpt["parent"]["sha256"] == sha256_file(parent) and ckpt["parent"]["steps"] == STEPS
    steps = [r for r in read_log(out) if r["event"] == "train"]
    assert steps[0]["lr"] == pytest.approx(TINY_CONFIG["learningRate"] * 0.1)
    # Starting from trained weights, the first losses are already low.
    fresh = [r for r in read_log(workspace["out"]) if r["event"] == "train"]
    assert np.mean([r["loss"] for r in steps]) < np.mean([r["loss"] for r in fresh[:5]])


def test_export_writes_onnx_card_and_parity(tmp_path: Path, workspace: Dict[str, Path]) -> None:
    onnx_path = tmp_path / "model" / "model.onnx"
    card_path = tmp_path / "model" / "card.json"
    assert export.main(["--checkpoint", str(workspace["out"] / "checkpoint.pt"), "--out", str(onnx_path),
                        "--card", str(card_path), "--name", "tiny", "--version", "1.2.3"]) == 0
    blob = onnx_path.read_bytes()
    assert len(blob) > 10_000 and blob[0] == 0x08 and b"pytorch" in blob[:64]
    card = json.loads(card_path.read_text())
    assert card["sha256"] == sha256_file(onnx_path)
    assert card["name"] == "tiny" and card["version"] == "1.2.3" and card["task"] == "ich"
    assert card["labels"] == {"1": "intraparenchymal"} and card["inputs"]["channels"] == ["ct"]
    assert card["training"]["steps"] == STEPS and card["training"]["seed"] == 7
    assert card["training"]["data"]["cases"]["train"] == 5
    assert card["intendedUse"] == "Research use only; not a medical device." and card["evaluation"] is None
    x = np.load(onnx_path.parent / "parity" / "input.npy")
    y = np.load(onnx_path.parent / "parity" / "torch_logits.npy")
    assert x.shape[:2] == (1, 1) and y.shape == (1, 2, *x.shape[2:]) and np.isfinite(y).all()


def test_config_validation(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown config key 'patchSise'"):
        config_from_dict({"patchSise": [16, 32, 32]})
    with pytest.raises(ConfigError, match="unknown config key 'augment.flipUpDown'"):
        config_from_dict({"augment": {"flipUpDown": True}})
    with pytest.raises(ConfigError, match="pFg"):
        config_from_dict({"pFg": 1.5})
    with pytest.raises(ConfigError, match="multiples of 8"):
        config_from_dict({"patchSize": [20, 32, 32]})
    with pytest.raises(ConfigError, match="batchSize' must be an integer"):
        config_from_dict({"batchSize": 1.5})
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(ConfigError, match="cannot read config"):
        load_config(bad)
    assert config_from_dict(TINY_CONFIG).patch_size == (16, 32, 32)


def test_sampler_pads_small_volumes_and_prefers_lesions(workspace: Dict[str, Path]) -> None:
    index = load_index(workspace["data"])
    cases = [open_case(c) for c in index.split("train")]
    rng = np.random.default_rng(0)
    big = PatchSampler(cases, (32, 48, 48), p_fg=1.0)
    image, label = big.sample(rng)
    assert image.shape == (1, 32, 48, 48) and label.shape == (32, 48, 48)
    assert (label > 0).any()
    small = PatchSampler(cases, (8, 8, 8), p_fg=1.0)
    assert all((small.sample(rng)[1] > 0).any() for _ in range(50))
    uniform = PatchSampler(cases, (8, 8, 8), p_fg=0.0)
    assert np.mean([(uniform.sample(rng)[1] > 0).any() for _ in range(50)]) < 0.9


def test_lesion_sampling_draws_a_tiny_lesion_as_often_as_a_large_one(tmp_path: Path) -> None:
    label = np.zeros((20, 40, 40), dtype=np.uint8)
    label[2:12, 5:25, 5:25] = 1  # 4,000 voxels
    label[15, 33, 33] = 2  # one voxel...
    label[16, 34, 34] = 2  # ...and its diagonal neighbour: the same 26-connected lesion
    label[15, 2, 36] = 2  # a separate single voxel
    foreground = np.flatnonzero(label > 0)
    sizes = [g.size for g in lesion_components(label, foreground)]
    assert sizes == [4000, 2, 1]
    image = np.zeros((1, *label.shape), dtype=np.float32)
    np.save(tmp_path / "image.npy", image)
    np.save(tmp_path / "label.npy", label)
    z, y, x = label.shape
    entry = CaseEntry("c", tmp_path / "image.npy", tmp_path / "label.npy", (1, z, y, x), "s", "train")
    case = open_case(entry)

    def small_share(mode: str) -> float:
        sampler = PatchSampler([case], (4, 4, 4), p_fg=1.0, fg_sampling=mode)
        rng = np.random.default_rng(5)
        return float(np.mean([(sampler.sample(rng)[1] == 2).any() for _ in range(300)]))

    assert small_share("voxel") < 0.02  # 3 of 4,003 voxels
    assert 0.55 < small_share("lesion") < 0.8  # 2 of 3 lesions


def test_augmentation_is_seeded_and_keeps_labels_aligned() -> None:
    image = np.zeros((2, 16, 24, 24), dtype=np.float32)
    label = np.zeros((16, 24, 24), dtype=np.uint8)
    label[6:10, 8:14, 2:7] = 1  # a lesion on one side
    image[:, label == 1] = 3.0
    cfg = AugmentConfig(flip_other=True, rotate=True, probability=1.0, noise_std_max=0.05)
    a = augment_pair(image, label, np.random.default_rng(3), cfg)
    b = augment_pair(image, label, np.random.default_rng(3), cfg)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    flips = 0
    for seed in range(12):
        img, lab = augment_pair(image, label, np.random.default_rng(seed), AugmentConfig(probability=1.0))
        assert img.shape == image.shape and img.dtype == np.float32 and lab.dtype == np.uint8
        assert lab.sum() == label.sum()  # flips only: the lesion keeps its size
        assert img[0][lab == 1].mean() > img[0][lab == 0].mean() + 1.5  # and stays under the label
        flips += int(lab[:, :, 17:22].any())
    assert 0 < flips < 12  # left-right flips happen about half the time
