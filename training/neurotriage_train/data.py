"""Training folder reader and lesion-weighted patch sampler.

The folder is written by the TypeScript side with the same preprocessing used at
inference: ``index.json`` plus ``cases/<id>/image.npy`` (float32 [C, Z, Y, X], already
normalised) and ``cases/<id>/label.npy`` (uint8 [Z, Y, X], 0 = background, 1..K labels).
Arrays are memory-mapped; only patches are copied into RAM.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F

INDEX_VERSION = 1


class DataError(ValueError):
    """The training folder is missing, malformed or inconsistent."""


@dataclass(frozen=True)
class CaseEntry:
    """One case listed in ``index.json``."""

    id: str
    image_path: Path
    label_path: Path
    shape: Tuple[int, int, int, int]
    site: str
    split: str


@dataclass(frozen=True)
class DatasetIndex:
    """The parsed ``index.json``; ``raw`` keeps every field for the model card."""

    root: Path
    task: str
    channels: List[str]
    labels: Dict[int, str]
    spacing_mm: List[float]
    normalisation: Optional[Any]
    cases: List[CaseEntry]
    raw: Dict[str, Any]

    @property
    def num_classes(self) -> int:
        """Output channels of the network: background plus every label."""
        return max(self.labels, default=0) + 1

    def split(self, name: str) -> List[CaseEntry]:
        """Cases whose ``split`` equals ``name``."""
        return [c for c in self.cases if c.split == name]


def _field(obj: Dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in obj or not isinstance(obj[key], kind):
        raise DataError(f"{where}: field '{key}' is missing or not a {kind.__name__}")
    return obj[key]


def load_index(root: Path) -> DatasetIndex:
    """Parse and check ``<root>/index.json`` (files are checked when a case is opened)."""
    root = Path(root)
    path = root / "index.json"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise DataError(f"cannot read {path}: {err}") from err
    where = str(path)
    if raw.get("version") != INDEX_VERSION:
        raise DataError(f"{where}: unsupported version {raw.get('version')!r} (expected {INDEX_VERSION})")
    task = _field(raw, "task", str, where)
    channels = _field(raw, "channels", list, where)
    labels = {int(k): str(v) for k, v in _field(raw, "labels", dict, where).items()}
    if not labels or min(labels) < 1:
        raise DataError(f"{where}: 'labels' must map 1..K to names")
    cases: List[CaseEntry] = []
    for i, c in enumerate(_field(raw, "cases", list, where)):
        cw = f"{where}: cases[{i}]"
        shape = _field(c, "shape", list, cw)
        if len(shape) != 4 or shape[0] != len(channels):
            raise DataError(f"{cw}: shape {shape} must be [C, Z, Y, X] with C = {len(channels)}")
        split = _field(c, "split", str, cw)
        if split not in ("train", "val", "test"):
            raise DataError(f"{cw}: split must be 'train', 'val' or 'test', got {split!r}")
        cases.append(
            CaseEntry(
                id=_field(c, "id", str, cw),
                image_path=root / _field(c, "image", str, cw),
                label_path=root / _field(c, "label", str, cw),
                shape=(int(shape[0]), int(shape[1]), int(shape[2]), int(shape[3])),
                site=str(c.get("site", "unknown")),
                split=split,
            )
        )
    if not any(c.split == "train" for c in cases):
        raise DataError(f"{where}: no case has split 'train'")
    return DatasetIndex(
        root=root,
        task=task,
        channels=[str(ch) for ch in channels],
        labels=labels,
        spacing_mm=[float(s) for s in raw.get("spacingMm", [])],
        normalisation=raw.get("normalisation", raw.get("normalization")),
        cases=cases,
        raw=raw,
    )


@dataclass
class LoadedCase:
    """Memory-mapped arrays of one case plus the flat indices of its foreground voxels."""

    entry: CaseEntry
    image: np.ndarray
    label: np.ndarray
    foreground: np.ndarray


def open_case(entry: CaseEntry) -> LoadedCase:
    """Memory-map a case's arrays and check their dtype and shape against the index."""
    try:
        image = np.load(entry.image_path, mmap_mode="r")
        label = np.load(entry.label_path, mmap_mode="r")
    except (OSError, ValueError) as err:
        raise DataError(f"case {entry.id}: cannot load arrays: {err}") from err
    if image.dtype != np.float32 or tuple(image.shape) != entry.shape:
        raise DataError(f"case {entry.id}: image must be float32 {list(entry.shape)}, got {image.dtype} {list(image.shape)}")
    if label.dtype != np.uint8 or tuple(label.shape) != entry.shape[1:]:
        raise DataError(f"case {entry.id}: label must be uint8 {list(entry.shape[1:])}, got {label.dtype} {list(label.shape)}")
    foreground = np.flatnonzero(np.asarray(label) > 0).astype(np.int64)
    return LoadedCase(entry=entry, image=image, label=label, foreground=foreground)


def crop_or_pad(
    image: np.ndarray, label: np.ndarray, start: Sequence[int], size: Sequence[int]
) -> Tuple[np.ndarray, np.ndarray]:
    """Copy the box ``[start, start + size)`` of a [C,Z,Y,X] image and [Z,Y,X] label.

    Parts of the box outside the volume are padded: the label with 0 and each image
    channel with that channel's minimum inside the box (the background of a normalised
    scan), so padding looks like air rather than tissue.
    """
    channels = image.shape[0]
    out_img = np.empty((channels, *size), dtype=np.float32)
    out_lab = np.zeros(tuple(size), dtype=np.uint8)
    src, dst = [], []
    for axis, (s, n) in enumerate(zip(start, size)):
        lo, hi = max(s, 0), min(s + n, label.shape[axis])
        if hi <= lo:
            raise DataError(f"patch start {list(start)} does not overlap the volume {list(label.shape)}")
        src.append(slice(lo, hi))
        dst.append(slice(lo - s, hi - s))
    crop = np.asarray(image[(slice(None), *src)], dtype=np.float32)
    pad_values = crop.reshape(channels, -1).min(axis=1)
    out_img[...] = pad_values[:, None, None, None]
    out_img[(slice(None), *dst)] = crop
    out_lab[tuple(dst)] = np.asarray(label[tuple(src)])
    return out_img, out_lab


def patch_start(
    shape: Sequence[int], size: Sequence[int], centre: Optional[Sequence[int]], rng: np.random.Generator
) -> List[int]:
    """Start of a patch of ``size`` in a volume of ``shape``.

    Along an axis where the volume is at least as large as the patch, the patch is kept
    inside the volume (centred on ``centre`` where given, otherwise uniformly random).
    Along an axis where the volume is smaller, the volume sits at a random offset inside
    the patch and the rest is padding.
    """
    start: List[int] = []
    for axis, (dim, n) in enumerate(zip(shape, size)):
        if dim >= n:
            if centre is None:
                start.append(int(rng.integers(0, dim - n + 1)))
            else:
                start.append(int(np.clip(centre[axis] - n // 2, 0, dim - n)))
        else:
            start.append(-int(rng.integers(0, n - dim + 1)))
    return start


def lesion_components(label: np.ndarray, foreground: np.ndarray) -> List[np.ndarray]:
    """Flat indices of each lesion (26-connected component of label > 0), largest first.

    ``foreground`` is ``flatnonzero(label > 0)``. Components are found by propagating the
    largest voxel id through 3×3×3 max-pooling inside the foreground's bounding box until
    nothing changes (as many rounds as the longest path through a lesion).
    """
    if foreground.size == 0:
        return []
    coords = np.unravel_index(foreground, label.shape)
    lo = [int(c.min()) for c in coords]
    hi = [int(c.max()) + 1 for c in coords]
    box = tuple(slice(a, b) for a, b in zip(lo, hi))
    mask = torch.from_numpy(np.ascontiguousarray(np.asarray(label)[box] > 0))
    ids = torch.zeros(mask.shape, dtype=torch.float64)
    ids[mask] = torch.arange(1, int(mask.sum()) + 1, dtype=torch.float64)
    while True:
        grown = F.max_pool3d(ids[None, None], kernel_size=3, stride=1, padding=1)[0, 0]
        grown = torch.where(mask, grown, torch.zeros_like(grown))
        if torch.equal(grown, ids):
            break
        ids = grown
    local = ids.numpy()[tuple(c - a for c, a in zip(coords, lo))]
    order = np.argsort(local, kind="stable")
    _, starts = np.unique(local[order], return_index=True)
    groups = np.split(foreground[order], starts[1:])
    return sorted(groups, key=lambda g: -g.size)


class PatchSampler:
    """Draws batches of patches with lesion-weighted sampling, from a seeded Generator.

    With probability ``p_fg`` a patch is centred on a foreground voxel of the chosen case
    (when the case has any), otherwise its position is uniformly random. ``fg_sampling``
    "voxel" draws that voxel uniformly among all foreground voxels; "lesion" first draws a
    lesion uniformly, then a voxel in it.
    """

    def __init__(
        self, cases: Sequence[LoadedCase], patch_size: Sequence[int], p_fg: float, fg_sampling: str = "voxel"
    ) -> None:
        if not cases:
            raise DataError("no training cases")
        if fg_sampling not in ("voxel", "lesion"):
            raise DataError(f"fg_sampling must be 'voxel' or 'lesion', got {fg_sampling!r}")
        self.cases = list(cases)
        self.patch_size = [int(p) for p in patch_size]
        self.p_fg = float(p_fg)
        self.lesions: Optional[List[List[np.ndarray]]] = None
        if fg_sampling == "lesion":
            self.lesions = [lesion_components(c.label, c.foreground) for c in self.cases]

    def sample(self, rng: np.random.Generator) -> Tuple[np.ndarray, np.ndarray]:
        """One (image [C,*patch], label [*patch]) pair."""
        which = int(rng.integers(0, len(self.cases)))
        case = self.cases[which]
        spatial = case.label.shape
        centre: Optional[List[int]] = None
        if case.foreground.size > 0 and rng.random() < self.p_fg:
            pool = case.foreground
            if self.lesions is not None:
                lesions = self.lesions[which]
                pool = lesions[int(rng.integers(0, len(lesions)))]
            flat = int(pool[int(rng.integers(0, pool.size))])
            centre = [int(v) for v in np.unravel_index(flat, spatial)]
        start = patch_start(spatial, self.patch_size, centre, rng)
        return crop_or_pad(case.image, case.label, start, self.patch_size)

    def batch(self, rng: np.random.Generator, batch_size: int) -> Tuple[np.ndarray, np.ndarray]:
        """``batch_size`` patches stacked: images [B,C,*patch], labels [B,*patch]."""
        pairs = [self.sample(rng) for _ in range(batch_size)]
        return np.stack([p[0] for p in pairs]), np.stack([p[1] for p in pairs])


def centre_crop(image: np.ndarray, label: np.ndarray, size: Sequence[int], divisor: int) -> Tuple[np.ndarray, np.ndarray]:
    """Central box of at most ``size``, padded up to a multiple of ``divisor`` (for validation)."""
    spatial = label.shape
    box = [min(int(n), int(d)) for n, d in zip(size, spatial)]
    box = [((b + divisor - 1) // divisor) * divisor for b in box]
    start = [(d - b) // 2 for d, b in zip(spatial, box)]
    return crop_or_pad(image, label, start, box)
