"""Independent trace and ADC from a dcm2niix 4-D NIfTI + .bval, compared with ours (NumPy only).

``/usr/bin/python3 bench/tools/diffusion_maps_numpy.py PEER.nii PEER.bval OURS_TRACE.nii OURS_ADC.nii``

b0 = mean of the b<50 volumes; trace = geometric mean of the volumes of the highest b-value;
ADC = ln(b0/trace)/b (mm²/s), computed where b0 exceeds 5 % of its 99th percentile (the rule our
reader documents). Prints one JSON line: the b-value, voxels compared, the median ratio and the
median absolute difference of ADC (10⁻⁶ mm²/s) and of trace, and the share of brain voxels whose
ADC differs by more than 10 %. Both NIfTI files must be on the same grid (ours written with
``--orient dcm2niix``).
"""

from __future__ import annotations

import gzip
import json
import struct
import sys
from typing import Tuple

import numpy as np

DTYPES = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64, 256: np.int8, 512: np.uint16}


def read_nifti(path: str) -> Tuple[np.ndarray, np.ndarray]:
    """Voxels (x fastest → array [t, z, y, x]) scaled by scl_slope/inter, and the sform rows."""
    raw = gzip.open(path).read() if path.endswith(".gz") else open(path, "rb").read()
    endian = "<" if struct.unpack("<i", raw[:4])[0] == 348 else ">"
    dim = struct.unpack(endian + "8h", raw[40:56])
    datatype = struct.unpack(endian + "h", raw[70:72])[0]
    vox_offset = int(struct.unpack(endian + "f", raw[108:112])[0])
    slope, inter = struct.unpack(endian + "2f", raw[112:120])
    srow = np.array(struct.unpack(endian + "12f", raw[280:328])).reshape(3, 4)
    shape = [d for d in dim[1 : dim[0] + 1]]
    count = int(np.prod(shape))
    data = np.frombuffer(raw, dtype=np.dtype(DTYPES[datatype]).newbyteorder(endian), count=count, offset=vox_offset)
    data = data.astype(np.float64)
    if slope not in (0.0, 1.0) or inter != 0.0:
        data = data * (slope or 1.0) + inter
    return data.reshape(list(reversed(shape))), srow


def main() -> int:
    peer_path, bval_path, trace_path, adc_path = sys.argv[1:5]
    peer, peer_srow = read_nifti(peer_path)
    bvals = np.array([float(x) for x in open(bval_path).read().split()])
    if peer.ndim == 3:
        peer = peer[None]
    b_max = bvals.max()
    b0 = peer[bvals < 50].mean(axis=0)
    high = peer[np.abs(bvals - b_max) < 1]
    with np.errstate(divide="ignore", invalid="ignore"):
        trace = np.exp(np.log(np.maximum(high, 1e-6)).mean(axis=0))
        adc = np.log(b0 / np.maximum(trace, 1e-6)) / b_max
    mask = b0 > 0.05 * np.percentile(b0, 99)
    adc = np.clip(np.where(mask, adc, 0), 0, 0.005)
    ours_trace, ours_srow = read_nifti(trace_path)
    ours_adc, _ = read_nifti(adc_path)
    ours_trace, ours_adc = ours_trace.reshape(trace.shape), ours_adc.reshape(adc.shape)
    # brain-like voxels: tissue ADC in both (0.1–1.5 × 10⁻³ mm²/s)
    brain = mask & (adc > 1e-4) & (adc < 1.5e-3) & (ours_adc > 1e-4)
    if not brain.any():
        print(json.dumps({"bValue": round(float(b_max)), "voxels": 0}))
        return 0
    ratio = ours_adc[brain] / adc[brain]
    print(json.dumps({
        "bValue": round(float(b_max)),
        "sameGrid": bool(np.allclose(peer_srow, ours_srow, atol=0.05)),
        "voxels": int(brain.sum()),
        "adcMedianPeer1e6": round(float(np.median(adc[brain]) * 1e6), 1),
        "adcMedianOurs1e6": round(float(np.median(ours_adc[brain]) * 1e6), 1),
        "adcRatioMedian": round(float(np.median(ratio)), 4),
        "adcMedianAbsDiff1e6": round(float(np.median(np.abs(ours_adc[brain] - adc[brain])) * 1e6), 2),
        "adcOver10pct": round(float(np.mean(np.abs(ratio - 1) > 0.1)), 4),
        "traceRatioMedian": round(float(np.median(ours_trace[brain] / np.maximum(trace[brain], 1e-6))), 4),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
