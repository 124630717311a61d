"""The 2.5-D candidate: centre-slice logits of the input's in-plane size, every parameter trained."""

import torch

from neurotriage_train.model_25d import UNet25D, UNet25DSpec


def test_centre_slice_logits_have_the_input_plane() -> None:
    spec = UNet25DSpec(in_channels=2, num_classes=2, slices=5, base_channels=4, levels=3)
    model = UNet25D(spec)
    x = torch.randn(3, spec.in_channels * spec.slices, 32, 48)
    out = model(x)
    assert out.shape == (3, 2, 32, 48)
    out.sum().backward()
    assert all(p.grad is not None for p in model.parameters())


def test_divisor_follows_levels() -> None:
    assert UNet25DSpec(2, 2, levels=5).divisor == 16
