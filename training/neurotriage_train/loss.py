"""Soft Dice + cross-entropy loss, suited to small lesions.

Dice is computed as *batch Dice* over foreground classes only: intersections and sums
are pooled over the whole batch before the ratio, so a patch without lesion does not
produce a meaningless 0/0 term, and tiny lesions are not swamped by background as they
would be with cross-entropy alone.

The mean runs over the classes *present in the batch's target*. A class absent from the target
has Dice = 1 / (sum of its probabilities + 1), which stays near 0 until the network pushes its
probability below ~1e-6 on every voxel: with six haemorrhage labels, most absent in any one
batch, that term pinned the Dice loss at ~0.98 with almost no gradient and diluted the signal of
the present classes. False positives of absent classes are still penalised by cross-entropy.
A batch without any foreground has no Dice term (0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional

import torch
import torch.nn.functional as F


@dataclass
class LossParts:
    """Total loss (for backward) and its parts (floats, for the log)."""

    total: torch.Tensor
    dice_loss: float
    ce_loss: float


def soft_dice_per_class(logits: torch.Tensor, target: torch.Tensor, smooth: float = 1.0) -> torch.Tensor:
    """Batch soft Dice of every foreground class: tensor [K] for logits [B, K+1, ...]."""
    num_classes = logits.shape[1]
    probs = torch.softmax(logits, dim=1)[:, 1:]
    onehot = F.one_hot(target.long(), num_classes).movedim(-1, 1)[:, 1:].to(probs.dtype)
    dims = [0] + list(range(2, probs.ndim))
    intersection = (probs * onehot).sum(dims)
    denominator = probs.sum(dims) + onehot.sum(dims)
    return (2.0 * intersection + smooth) / (denominator + smooth)


def dice_ce_loss(
    logits: torch.Tensor,
    target: torch.Tensor,
    *,
    dice_weight: float = 1.0,
    ce_weight: float = 1.0,
    class_weights: Optional[torch.Tensor] = None,
) -> LossParts:
    """``dice_weight * (1 - mean foreground Dice) + ce_weight * cross-entropy``."""
    dice = soft_dice_per_class(logits, target)
    present = torch.bincount(target.long().flatten(), minlength=logits.shape[1])[1:] > 0
    dice_loss = 1.0 - dice[present].mean() if bool(present.any()) else dice.sum() * 0.0
    ce = F.cross_entropy(logits, target.long(), weight=class_weights)
    total = dice_weight * dice_loss + ce_weight * ce
    return LossParts(total=total, dice_loss=float(dice_loss.detach()), ce_loss=float(ce.detach()))


def hard_dice_per_label(prediction: torch.Tensor, target: torch.Tensor, labels: List[int]) -> Dict[int, Optional[float]]:
    """Dice of hard label maps for each label; ``None`` where the label is in neither map."""
    out: Dict[int, Optional[float]] = {}
    for k in labels:
        p = prediction == k
        t = target == k
        denom = int(p.sum()) + int(t.sum())
        out[k] = None if denom == 0 else 2.0 * int((p & t).sum()) / denom
    return out
