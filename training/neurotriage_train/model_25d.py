"""2.5-D residual U-Net: neighbouring slices as channels, 2-D convolutions on the native plane.

A candidate to the 3-D U-Net (model.py) for diffusion scans, which are acquired as thick
slices: the input is ``slices`` neighbouring slices of every image channel stacked as
channels ([N, in_channels * slices, Y, X]), the output the logits of the centre slice
([N, num_classes, Y, X]). Same ONNX-friendly operators as the 3-D net, in 2-D. Optional
``channels_last`` memory format is a property of how it is run, not of the weights.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Dict, List

import torch
from torch import nn


@dataclass(frozen=True)
class UNet25DSpec:
    """Architecture hyper-parameters of the 2.5-D network."""

    in_channels: int
    num_classes: int
    slices: int = 5
    base_channels: int = 16
    levels: int = 5

    @property
    def divisor(self) -> int:
        """In-plane sizes must be multiples of this."""
        return 2 ** (self.levels - 1)

    def to_dict(self) -> Dict[str, Any]:
        """Plain dict for checkpoints and model cards."""
        return asdict(self)


def _norm_act(channels: int) -> List[nn.Module]:
    return [nn.InstanceNorm2d(channels, affine=True), nn.LeakyReLU(0.01, inplace=True)]


class ResBlock2D(nn.Module):
    """conv3-IN-LReLU-conv3-IN plus a (projected) skip, then LReLU; ``stride`` 2 halves Y and X."""

    def __init__(self, cin: int, cout: int, stride: int = 1) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
            *_norm_act(cout),
            nn.Conv2d(cout, cout, 3, padding=1, bias=False),
            nn.InstanceNorm2d(cout, affine=True),
        )
        self.skip: nn.Module = nn.Identity()
        if cin != cout or stride != 1:
            self.skip = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.InstanceNorm2d(cout, affine=True)
            )
        self.act = nn.LeakyReLU(0.01, inplace=True)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Residual block output."""
        return self.act(self.body(x) + self.skip(x))


class UNet25D(nn.Module):
    """Residual 2-D U-Net over stacked neighbouring slices; centre-slice logits out."""

    def __init__(self, spec: UNet25DSpec) -> None:
        super().__init__()
        self.spec = spec
        widths = [spec.base_channels * 2**i for i in range(spec.levels)]
        cin = spec.in_channels * spec.slices
        self.stem = nn.Sequential(nn.Conv2d(cin, widths[0], 3, padding=1, bias=False), *_norm_act(widths[0]))
        self.encoders = nn.ModuleList([ResBlock2D(widths[0], widths[0])])
        for i in range(1, spec.levels):
            self.encoders.append(ResBlock2D(widths[i - 1], widths[i], stride=2))
        self.ups = nn.ModuleList()
        self.decoders = nn.ModuleList()
        for i in range(spec.levels - 1, 0, -1):
            self.ups.append(nn.ConvTranspose2d(widths[i], widths[i - 1], kernel_size=2, stride=2))
            self.decoders.append(ResBlock2D(2 * widths[i - 1], widths[i - 1]))
        self.head = nn.Conv2d(widths[0], spec.num_classes, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Centre-slice logits [N, num_classes, Y, X]."""
        skips: List[torch.Tensor] = []
        h = self.stem(x)
        for enc in self.encoders:
            h = enc(h)
            skips.append(h)
        skips.pop()
        for up, dec in zip(self.ups, self.decoders):
            h = dec(torch.cat([up(h), skips.pop()], dim=1))
        return self.head(h)
