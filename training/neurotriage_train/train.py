"""Training command: ``python3 -m neurotriage_train.train --data DIR --out DIR ...``.

Writes ``<out>/log.jsonl`` (one JSON object per step and per validation) and
``<out>/checkpoint.pt``; prints JSON lines to stdout (``start``, ``progress``, ``val``,
``checkpoint``, ``done``) for the TypeScript CLI's progress bar. Seeds torch and numpy
from the config's seed; ``--resume`` restores the RNG states so a resumed run continues
exactly where it stopped. Errors are printed as ``{"event":"error",...}`` with exit code 2.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import torch

from .augment import augment_batch
from .checkpoint import CheckpointError, load_checkpoint, save_checkpoint, sha256_file
from .config import ConfigError, TrainConfig, config_from_dict, config_to_dict, load_config, replace
from .data import DataError, DatasetIndex, PatchSampler, load_index, open_case
from .loss import dice_ce_loss
from .model import UNetSpec, build_model, count_parameters
from .schedule import learning_rate
from .validate import validate


def emit(event: str, **fields: Any) -> None:
    """Print one JSON line to stdout (flushed, so a parent process sees it at once)."""
    print(json.dumps({"event": event, **fields}), flush=True)


def parse_args(argv: Optional[Sequence[str]]) -> argparse.Namespace:
    """Command-line options."""
    p = argparse.ArgumentParser(prog="python3 -m neurotriage_train.train", description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, type=Path, help="training folder with index.json")
    p.add_argument("--out", required=True, type=Path, help="output folder (log.jsonl, checkpoint.pt)")
    p.add_argument("--config", type=Path, help="JSON config (camelCase keys); defaults otherwise")
    p.add_argument("--from", dest="from_checkpoint", type=Path, help="fine-tune: start from these weights")
    p.add_argument("--resume", action="store_true", help="continue from <out>/checkpoint.pt")
    p.add_argument("--steps", type=int, help="total number of steps (overrides the config)")
    p.add_argument("--seed", type=int, help="random seed (overrides the config)")
    return p.parse_args(argv)


def data_summary(index: DatasetIndex) -> Dict[str, Any]:
    """What the model card needs to know about the training data."""
    return {
        "task": index.task,
        "channels": index.channels,
        "labels": {str(k): v for k, v in sorted(index.labels.items())},
        "spacingMm": index.spacing_mm,
        "normalisation": index.normalisation,
        "cases": {s: len(index.split(s)) for s in ("train", "val", "test")},
        "sites": sorted({c.site for c in index.cases}),
        "trainSites": sorted({c.site for c in index.split("train")}),
        "root": str(index.root.resolve()),
    }


def truncate_log(path: Path, last_step: int) -> None:
    """Drop log records after ``last_step`` (written after the checkpoint a resume starts from)."""
    if not path.exists():
        return
    kept = [line for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and int(json.loads(line).get("step", 0)) <= last_step]
    path.write_text("".join(line + "\n" for line in kept), encoding="utf-8")


def resolve_config(args: argparse.Namespace, resumed: Optional[Dict[str, Any]]) -> TrainConfig:
    """Config from the checkpoint (resume), the file or the defaults, then CLI overrides."""
    if resumed is not None:
        config = config_from_dict(resumed["config"])
    elif args.config is not None:
        config = load_config(args.config)
    else:
        config = TrainConfig()
    changes: Dict[str, Any] = {}
    if args.steps is not None:
        changes["steps"] = args.steps
    if args.seed is not None:
        if resumed is not None and args.seed != config.seed:
            raise ConfigError("--seed cannot change when resuming")
        changes["seed"] = args.seed
    return replace(config, **changes) if changes else config


def run(argv: Optional[Sequence[str]] = None) -> Path:
    """Train; return the checkpoint path. Raises ``DataError``/``ConfigError``/``CheckpointError``."""
    argv_list: List[str] = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv_list)
    command = "python3 -m neurotriage_train.train " + shlex.join(argv_list)
    # NEUROTRIAGE_THREADS lets two runs share a small machine (one thread each).
    torch.set_num_threads(int(os.environ.get("NEUROTRIAGE_THREADS", "0")) or os.cpu_count() or 1)
    out: Path = args.out
    ckpt_path = out / "checkpoint.pt"
    if args.resume and args.from_checkpoint is not None:
        raise ConfigError("--resume and --from cannot be combined")
    resumed = load_checkpoint(ckpt_path) if args.resume else None
    if args.resume is False and ckpt_path.exists():
        raise ConfigError(f"{ckpt_path} exists: pass --resume to continue it or choose another --out")
    config = resolve_config(args, resumed)
    index = load_index(args.data)
    parent = load_checkpoint(args.from_checkpoint) if args.from_checkpoint is not None else None
    spec = UNetSpec(len(index.channels), index.num_classes, config.base_channels, config.levels)
    source = resumed or parent
    if source is not None:
        spec = UNetSpec(**source["spec"])
        if spec.in_channels != len(index.channels) or spec.num_classes != index.num_classes:
            raise CheckpointError(
                f"checkpoint network has {spec.in_channels} input channels and {spec.num_classes} classes, "
                f"the data {len(index.channels)} and {index.num_classes}"
            )
        config = replace(config, base_channels=spec.base_channels, levels=spec.levels)

    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = build_model(spec)
    base_lr = config.learning_rate
    if parent is not None:
        model.load_state_dict(parent["model"])
        base_lr = config.learning_rate * config.fine_tune_lr_scale
    model.to(device)
    optimizer = torch.optim.AdamW(model.parameters(), lr=base_lr, weight_decay=config.weight_decay)
    start_step, elapsed, commands = 0, 0.0, [command]
    provenance: Dict[str, Any] = {"parent": None}
    if resumed is not None:
        model.load_state_dict(resumed["model"])
        optimizer.load_state_dict(resumed["optimizer"])
        start_step, elapsed = int(resumed["step"]), float(resumed.get("seconds", 0.0))
        base_lr = float(resumed["baseLr"])
        commands = list(resumed.get("commands", [])) + [command]
        provenance = {"parent": resumed.get("parent")}
        rng.bit_generator.state = resumed["rng"]["numpy"]
        torch.set_rng_state(resumed["rng"]["torch"])
    elif parent is not None:
        provenance = {
            "parent": {
                "checkpoint": str(Path(args.from_checkpoint).resolve()),
                "sha256": sha256_file(args.from_checkpoint),
                "steps": int(parent["step"]),
                "commands": parent.get("commands", []),
                "data": parent.get("data"),
            }
        }

    train_cases = [open_case(c) for c in index.split("train")]
    val_cases = [open_case(c) for c in index.split("val")]
    sampler = PatchSampler(train_cases, config.patch_size, config.p_fg, config.fg_sampling)
    out.mkdir(parents=True, exist_ok=True)
    truncate_log(out / "log.jsonl", start_step)
    summary = data_summary(index)
    emit(
        "start", step=start_step, of=config.steps, parameters=count_parameters(model), device=str(device),
        trainCases=len(train_cases), valCases=len(val_cases), baseLr=base_lr, fineTune=parent is not None,
    )

    def checkpoint(step: int) -> None:
        save_checkpoint(ckpt_path, {
            "model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step,
            "config": config_to_dict(config), "spec": spec.to_dict(), "baseLr": base_lr, "seconds": elapsed,
            "data": summary, "commands": commands, "seed": config.seed, **provenance,
            "rng": {"numpy": rng.bit_generator.state, "torch": torch.get_rng_state()},
        })
        emit("checkpoint", step=step, path=str(ckpt_path))

    model.train()
    with open(out / "log.jsonl", "a", encoding="utf-8") as log:
        for step in range(start_step + 1, config.steps + 1):
            t0 = time.perf_counter()
            lr = learning_rate(config.lr_schedule, base_lr, step - 1, config.steps)
            for group in optimizer.param_groups:
                group["lr"] = lr
            images, labels = sampler.batch(rng, config.batch_size)
            images, labels = augment_batch(images, labels, rng, config.augment)
            x = torch.from_numpy(images).to(device)
            y = torch.from_numpy(labels.astype(np.int64)).to(device)
            optimizer.zero_grad(set_to_none=True)
            parts = dice_ce_loss(model(x), y, dice_weight=config.dice_weight, ce_weight=config.ce_weight)
            parts.total.backward()
            optimizer.step()
            elapsed += time.perf_counter() - t0
            loss = float(parts.total.detach())
            record = {"event": "train", "step": step, "loss": loss, "dice_loss": parts.dice_loss,
                      "ce_loss": parts.ce_loss, "lr": lr, "seconds": round(elapsed, 4)}
            log.write(json.dumps(record) + "\n")
            emit("progress", step=step, of=config.steps, loss=loss, lr=lr, seconds=round(elapsed, 3))
            if val_cases and config.val_interval and (step % config.val_interval == 0 or step == config.steps):
                result = validate(model, val_cases, index.labels, config.val_crop_size, device)
                log.write(json.dumps({"event": "val", "step": step, **result}) + "\n")
                emit("val", step=step, **result)
            log.flush()
            if (config.checkpoint_interval and step % config.checkpoint_interval == 0) or step == config.steps:
                checkpoint(step)
    if start_step >= config.steps:
        checkpoint(start_step)
    emit("done", step=config.steps, checkpoint=str(ckpt_path), log=str(out / "log.jsonl"))
    return ckpt_path


def main(argv: Optional[Sequence[str]] = None) -> int:
    """CLI entry point: exit code 0, or 2 with an ``error`` event on a user-facing error."""
    try:
        run(argv)
    except (ConfigError, DataError, CheckpointError) as err:
        emit("error", message=str(err))
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
