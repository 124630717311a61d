"""The Dice part of the loss counts only the classes present in the batch's target."""

from __future__ import annotations

import torch

from neurotriage_train.loss import dice_ce_loss


def _logits_for(target: torch.Tensor, classes: int, confidence: float = 8.0) -> torch.Tensor:
    onehot = torch.nn.functional.one_hot(target, classes).movedim(-1, 1).float()
    return onehot * confidence


def test_absent_classes_do_not_pin_the_dice_loss() -> None:
    target = torch.zeros(1, 8, 8, 8, dtype=torch.long)
    target[0, 2:5, 2:5, 2:5] = 1  # class 1 present; classes 2..6 absent
    parts = dice_ce_loss(_logits_for(target, 7), target)
    # A near-perfect prediction: with absent classes averaged in, this was ~0.8.
    assert parts.dice_loss < 0.05


def test_a_wrong_present_class_still_costs() -> None:
    target = torch.zeros(1, 8, 8, 8, dtype=torch.long)
    target[0, 2:5, 2:5, 2:5] = 1
    wrong = torch.zeros_like(target)
    wrong[0, 2:5, 2:5, 2:5] = 2  # right place, wrong subtype
    parts = dice_ce_loss(_logits_for(wrong, 7), target)
    assert parts.dice_loss > 0.9
    assert parts.ce_loss > 0.3  # 27 of 512 voxels wrong by a margin of 8


def test_background_only_batch_has_no_dice_term_but_a_gradient_path() -> None:
    target = torch.zeros(2, 4, 4, 4, dtype=torch.long)
    logits = torch.randn(2, 3, 4, 4, 4, requires_grad=True)
    parts = dice_ce_loss(logits, target)
    assert parts.dice_loss == 0.0
    parts.total.backward()
    assert logits.grad is not None and torch.isfinite(logits.grad).all()
