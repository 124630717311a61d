/**
 * Multi-resolution pyramid by block averaging: each level averages blocks of f_i × f_j × f_k
 * voxels (a box filter, which is the smoothing before downsampling), with f = round(level
 * spacing / voxel spacing) per axis (at least 1), so a 0.49 × 0.49 × 4 mm CT becomes
 * 1.95 × 1.95 × 4 mm at the 2 mm level and a 1.8 × 1.8 × 4.8 mm DWI keeps its grid. Blocks
 * at the far edges may be partial; they average the voxels they have. A level is computed from
 * an earlier level when its factors divide, else from the input. The output grid keeps the
 * input's direction; its origin is the centre of the first block. Pure.
 */
import type { Geometry } from '../core/geometry.js';
import type { Vec3 } from '../core/vec.js';
import { type Volume, createVolume, withOp } from '../core/volume.js';

export interface PyramidLevel {
  /** The nominal level spacing, mm. */
  readonly levelMm: number;
  /** Block sizes relative to the input grid. */
  readonly factors: Vec3;
  readonly volume: Volume<Float32Array>;
}

/** Block sizes that bring `spacingMm` closest to `levelMm` without going finer than the input. */
export function blockFactors(spacingMm: Vec3, levelMm: number): Vec3 {
  const f = (s: number) => Math.max(1, Math.round(levelMm / s));
  return [f(spacingMm[0]), f(spacingMm[1]), f(spacingMm[2])];
}

function axisMap(n: number, f: number): { index: Int32Array; count: Int32Array } {
  const out = Math.ceil(n / f);
  const index = new Int32Array(n);
  const count = new Int32Array(out);
  for (let i = 0; i < n; i++) {
    index[i] = Math.floor(i / f);
    count[index[i]!]!++;
  }
  return { index, count };
}

/** Averages blocks of `factors` voxels; float32 output. */
export function blockAverage(volume: Volume, factors: Vec3): Volume<Float32Array> {
  const g = volume.geometry;
  const [nx, ny, nz] = g.shape;
  const ax = axisMap(nx, factors[0]);
  const ay = axisMap(ny, factors[1]);
  const az = axisMap(nz, factors[2]);
  const [ox, oy, oz] = [ax.count.length, ay.count.length, az.count.length];
  const sums = new Float64Array(ox * oy * oz);
  const src = volume.data;
  let v = 0;
  for (let k = 0; k < nz; k++) {
    const kk = az.index[k]! * ox * oy;
    for (let j = 0; j < ny; j++) {
      const base = kk + ay.index[j]! * ox;
      for (let i = 0; i < nx; i++, v++) sums[base + ax.index[i]!]! += src[v]!;
    }
  }
  const data = new Float32Array(sums.length);
  let o = 0;
  for (let k = 0; k < oz; k++)
    for (let j = 0; j < oy; j++) {
      const cjk = ay.count[j]! * az.count[k]!;
      for (let i = 0; i < ox; i++, o++) data[o] = sums[o]! / (cjk * ax.count[i]!);
    }
  const shift = [0, 1, 2].map((a) => ((factors[a]! - 1) / 2) * g.spacingMm[a]!);
  const d = g.direction;
  const geometry: Geometry = {
    shape: [ox, oy, oz],
    spacingMm: [
      g.spacingMm[0] * factors[0],
      g.spacingMm[1] * factors[1],
      g.spacingMm[2] * factors[2],
    ],
    originMm: [
      g.originMm[0] + d[0] * shift[0]! + d[1] * shift[1]! + d[2] * shift[2]!,
      g.originMm[1] + d[3] * shift[0]! + d[4] * shift[1]! + d[5] * shift[2]!,
      g.originMm[2] + d[6] * shift[0]! + d[7] * shift[1]! + d[8] * shift[2]!,
    ],
    direction: d,
  };
  return createVolume(
    geometry,
    data,
    withOp(volume.meta, { op: 'block-average', params: { factors } }),
  );
}

/** One level per entry of `levelsMm` (any order; returned in the same order). */
export function buildPyramid(volume: Volume, levelsMm: readonly number[]): PyramidLevel[] {
  const done: PyramidLevel[] = [];
  const order = [...levelsMm.keys()].sort((a, b) => levelsMm[a]! - levelsMm[b]!);
  const out = new Array<PyramidLevel>(levelsMm.length);
  for (const n of order) {
    const levelMm = levelsMm[n]!;
    const factors = blockFactors(volume.geometry.spacingMm, levelMm);
    const from = [...done].reverse().find((l) => factors.every((f, a) => f % l.factors[a]! === 0));
    const level: PyramidLevel = from
      ? {
          levelMm,
          factors,
          volume: blockAverage(from.volume, [
            factors[0] / from.factors[0],
            factors[1] / from.factors[1],
            factors[2] / from.factors[2],
          ]),
        }
      : { levelMm, factors, volume: blockAverage(volume, factors) };
    done.push(level);
    out[n] = level;
  }
  return out;
}
