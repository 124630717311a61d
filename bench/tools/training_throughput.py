"""Training throughput of the infarct-model candidates (issue 19): labelled output voxels per
second, forward + backward + optimiser step, on this machine's CPU cores (one process, all
threads). Prints a markdown table with the machine; today's 3-D U-Net is the reference.

Run from the repository root: /usr/bin/python3 bench/tools/training_throughput.py [--steps N]
(`npm run bench:training` does this). Random inputs: throughput does not depend on values.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Callable, List, Tuple

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "training"))

import torch  # noqa: E402
from torch import nn  # noqa: E402

from neurotriage_train.model import UNet3D, UNetSpec  # noqa: E402
from neurotriage_train.model_25d import UNet25D, UNet25DSpec  # noqa: E402


@dataclass(frozen=True)
class Candidate:
    name: str
    build: Callable[[], nn.Module]
    input_shape: Tuple[int, ...]
    channels_last: bool = False

    @property
    def output_voxels(self) -> int:
        """Labelled output voxels per step: batch × spatial size of the output."""
        spatial = self.input_shape[2:]
        n = self.input_shape[0]
        for s in spatial:
            n *= s
        return n


def candidates() -> List[Candidate]:
    """Today's 3-D U-Net, a wider 3-D one, and two 2.5-D U-Nets (5 slices × DWI, ADC)."""
    return [
        Candidate("3-D U-Net b8 (today)", lambda: UNet3D(UNetSpec(2, 2, 8, 4)), (2, 2, 48, 80, 80)),
        Candidate("3-D U-Net b16", lambda: UNet3D(UNetSpec(2, 2, 16, 4)), (2, 2, 48, 80, 80)),
        Candidate("2.5-D U-Net b16 (5 levels)", lambda: UNet25D(UNet25DSpec(2, 2, 5, 16, 5)), (16, 10, 96, 96)),
        Candidate(
            "2.5-D U-Net b8 channels_last",
            lambda: UNet25D(UNet25DSpec(2, 2, 5, 8, 5)),
            (16, 10, 96, 96),
            channels_last=True,
        ),
    ]


def seconds_per_step(c: Candidate, steps: int) -> Tuple[List[float], int]:
    torch.manual_seed(0)
    model = c.build()
    params = sum(p.numel() for p in model.parameters())
    x = torch.randn(*c.input_shape)
    n, spatial = c.input_shape[0], c.input_shape[2:]
    y = torch.randint(0, 2, (n, *spatial))
    if c.channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    times: List[float] = []
    for i in range(steps + 1):
        t = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        if i > 0:  # the first step warms up allocators and kernels
            times.append(time.perf_counter() - t)
    return times, params


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=5, help="timed steps per candidate (median)")
    args = parser.parse_args()
    threads = os.cpu_count() or 1
    torch.set_num_threads(threads)
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Machine: {cpu}, {threads} threads, torch {torch.__version__}, load {load:.2f} at start")
    print()
    print("| candidate | parameters | batch × input | output voxels/step | s/step (median, min–max) | output voxels/s | × today |")
    print("|---|---:|---|---:|---:|---:|---:|")
    reference = None
    for c in candidates():
        times, params = seconds_per_step(c, args.steps)
        med = statistics.median(times)
        rate = c.output_voxels / med
        reference = reference or rate
        shape = " × ".join(str(s) for s in c.input_shape)
        print(
            f"| {c.name} | {params / 1e6:.2f} M | {shape} | {c.output_voxels:,} | "
            f"{med:.2f} ({min(times):.2f}–{max(times):.2f}) | {rate / 1e3:,.0f} k | {rate / reference:.2f} |"
        )


if __name__ == "__main__":
    main()
