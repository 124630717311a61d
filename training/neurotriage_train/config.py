"""Typed training configuration, loaded from JSON with strict validation.

JSON keys are camelCase (like the rest of NeuroTriage's files); the dataclass fields are
their snake_case equivalents. Unknown keys and out-of-range values raise ``ConfigError``
with a message that names the key.
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Tuple

CONFIG_VERSION = 1


class ConfigError(ValueError):
    """A configuration file or value is invalid (unknown key, wrong type, out of range)."""


@dataclass(frozen=True)
class AugmentConfig:
    """Switches and strengths of on-the-fly augmentation (see ``augment.py``)."""

    flip_lr: bool = True
    flip_other: bool = False
    intensity: bool = True
    scale_range: Tuple[float, float] = (0.9, 1.1)
    shift_range: Tuple[float, float] = (-0.1, 0.1)
    gamma: bool = True
    gamma_range: Tuple[float, float] = (0.7, 1.5)
    noise: bool = True
    noise_std_max: float = 0.1
    low_res: bool = True
    low_res_factor_range: Tuple[float, float] = (1.5, 3.0)
    rotate: bool = False
    rotate_max_deg: float = 10.0
    probability: float = 0.3


@dataclass(frozen=True)
class TrainConfig:
    """Everything that decides a training run, apart from the data and the command line."""

    version: int = CONFIG_VERSION
    patch_size: Tuple[int, int, int] = (64, 96, 96)
    batch_size: int = 2
    learning_rate: float = 3e-3
    weight_decay: float = 1e-4
    lr_schedule: str = "poly"
    steps: int = 2000
    seed: int = 0
    p_fg: float = 0.5
    # Where a lesion-centred patch is centred: "voxel" = a random foreground voxel (large
    # lesions win in proportion to their size), "lesion" = a random voxel of a random lesion
    # (26-connected component), so a 3-voxel infarct is drawn as often as a 300-mL one.
    fg_sampling: str = "voxel"
    base_channels: int = 16
    levels: int = 4
    dice_weight: float = 1.0
    ce_weight: float = 1.0
    val_interval: int = 200
    val_crop_size: Tuple[int, int, int] = (96, 160, 160)
    checkpoint_interval: int = 200
    fine_tune_lr_scale: float = 0.1
    augment: AugmentConfig = field(default_factory=AugmentConfig)


def _snake(name: str) -> str:
    return re.sub(r"([A-Z])", lambda m: "_" + m.group(1).lower(), name)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _check_number(key: str, value: Any, *, integer: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigError(f"config key '{key}' must be a number, got {value!r}")
    if integer and not (isinstance(value, int) or float(value).is_integer()):
        raise ConfigError(f"config key '{key}' must be an integer, got {value!r}")
    if not math.isfinite(float(value)):
        raise ConfigError(f"config key '{key}' must be finite, got {value!r}")
    return value


def _coerce(key: str, value: Any, default: Any) -> Any:
    """Convert a JSON value to the type of ``default`` or raise ``ConfigError``."""
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"config key '{key}' must be true or false, got {value!r}")
        return value
    if isinstance(default, int):
        return int(_check_number(key, value, integer=True))
    if isinstance(default, float):
        return float(_check_number(key, value, integer=False))
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ConfigError(f"config key '{key}' must be a string, got {value!r}")
        return value
    if isinstance(default, tuple):
        if not isinstance(value, list) or len(value) != len(default):
            raise ConfigError(f"config key '{key}' must be a list of {len(default)} numbers, got {value!r}")
        return tuple(_coerce(f"{key}[{i}]", v, d) for i, (v, d) in enumerate(zip(value, default)))
    raise ConfigError(f"config key '{key}' has an unsupported type")


def _from_mapping(cls: type, data: Mapping[str, Any], prefix: str) -> Any:
    if not isinstance(data, Mapping):
        raise ConfigError(f"config '{prefix or 'root'}' must be a JSON object")
    defaults = cls()
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values: Dict[str, Any] = {}
    for key, value in data.items():
        name = _snake(key)
        full = f"{prefix}{key}"
        if name not in fields or key != _camel(name):
            known = ", ".join(sorted(_camel(n) for n in fields))
            raise ConfigError(f"unknown config key '{full}' (known keys: {known})")
        default = getattr(defaults, name)
        if dataclasses.is_dataclass(default):
            values[name] = _from_mapping(type(default), value, f"{full}.")
        else:
            values[name] = _coerce(full, value, default)
    return cls(**values)


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ConfigError(message)


def _validate_range(key: str, pair: Tuple[float, float], low: float) -> None:
    _require(pair[0] <= pair[1], f"config key '{key}' must be [min, max] with min <= max")
    _require(pair[0] >= low, f"config key '{key}' must be >= {low}")


def validate(config: TrainConfig) -> TrainConfig:
    """Check value ranges; return the config unchanged or raise ``ConfigError``."""
    _require(config.version == CONFIG_VERSION, f"config 'version' must be {CONFIG_VERSION}, got {config.version}")
    _require(all(p >= 8 for p in config.patch_size), "config 'patchSize' entries must be >= 8")
    divisor = 2 ** (config.levels - 1)
    for key, size in (("patchSize", config.patch_size), ("valCropSize", config.val_crop_size)):
        _require(all(p % divisor == 0 for p in size), f"config '{key}' entries must be multiples of {divisor} (2^(levels-1))")
    _require(config.batch_size >= 1, "config 'batchSize' must be >= 1")
    _require(config.learning_rate > 0, "config 'learningRate' must be > 0")
    _require(config.weight_decay >= 0, "config 'weightDecay' must be >= 0")
    _require(config.lr_schedule in ("poly", "cosine", "constant"), "config 'lrSchedule' must be 'poly', 'cosine' or 'constant'")
    _require(config.steps >= 1, "config 'steps' must be >= 1")
    _require(config.seed >= 0, "config 'seed' must be >= 0")
    _require(0.0 <= config.p_fg <= 1.0, "config 'pFg' must be in [0, 1]")
    _require(config.fg_sampling in ("voxel", "lesion"), "config 'fgSampling' must be 'voxel' or 'lesion'")
    _require(1 <= config.base_channels <= 128, "config 'baseChannels' must be in [1, 128]")
    _require(2 <= config.levels <= 6, "config 'levels' must be in [2, 6]")
    _require(config.dice_weight >= 0 and config.ce_weight >= 0, "loss weights must be >= 0")
    _require(config.dice_weight + config.ce_weight > 0, "at least one loss weight must be > 0")
    _require(config.val_interval >= 0, "config 'valInterval' must be >= 0 (0 = no validation)")
    _require(config.checkpoint_interval >= 0, "config 'checkpointInterval' must be >= 0 (0 = only at the end)")
    _require(0 < config.fine_tune_lr_scale <= 10, "config 'fineTuneLrScale' must be in (0, 10]")
    aug = config.augment
    _validate_range("augment.scaleRange", aug.scale_range, 0.0)
    _validate_range("augment.shiftRange", aug.shift_range, -math.inf)
    _validate_range("augment.gammaRange", aug.gamma_range, 1e-3)
    _validate_range("augment.lowResFactorRange", aug.low_res_factor_range, 1.0)
    _require(aug.noise_std_max >= 0, "config 'augment.noiseStdMax' must be >= 0")
    _require(0 <= aug.rotate_max_deg <= 45, "config 'augment.rotateMaxDeg' must be in [0, 45]")
    _require(0.0 <= aug.probability <= 1.0, "config 'augment.probability' must be in [0, 1]")
    return config


def config_from_dict(data: Mapping[str, Any]) -> TrainConfig:
    """Build and validate a config from a camelCase mapping (missing keys take defaults)."""
    return validate(_from_mapping(TrainConfig, data, ""))


def load_config(path: Path) -> TrainConfig:
    """Read a JSON config file; raise ``ConfigError`` naming the file on any problem."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ConfigError(f"cannot read config {path}: {err}") from err
    try:
        return config_from_dict(data)
    except ConfigError as err:
        raise ConfigError(f"{path}: {err}") from err


def _to_json_value(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        return {_camel(f.name): _to_json_value(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_to_json_value(v) for v in value]
    return value


def config_to_dict(config: TrainConfig) -> Dict[str, Any]:
    """The camelCase JSON form of a config (round-trips through ``config_from_dict``)."""
    return _to_json_value(config)


def replace(config: TrainConfig, **changes: Any) -> TrainConfig:
    """A validated copy of ``config`` with some fields changed."""
    return validate(dataclasses.replace(config, **changes))


def config_keys() -> List[str]:
    """Top-level camelCase keys, for documentation and error messages."""
    return [_camel(f.name) for f in dataclasses.fields(TrainConfig)]
