/**
 * Surface distances between a truth and a predicted mask, in mm:
 * - surface voxels of a mask = its (non-zero) voxels with at least one 6-neighbour outside the
 *   mask or outside the grid (a mask voxel on the grid border is surface);
 * - directed distances: from each surface voxel of A to the nearest surface voxel of B (centre to
 *   centre, Euclidean with the voxel spacing; via the exact EDT of B's surface), and from B to A;
 * - `hd95Mm` = 95th percentile of the POOLED distances (both directed sets together), with
 *   numpy's default linear interpolation. This is medpy's `metric.binary.hd95` convention (same
 *   surface definition, so the numbers agree). Note: MONAI `compute_hausdorff_distance(percentile=95)`
 *   and DeepMind `surface-distance` `compute_robust_hausdorff` instead take
 *   max(p95(A→B), p95(B→A)), which is ≥ ours; papers differ, so say which one you report;
 * - `hdMm` = maximum of the pooled distances (the classic Hausdorff distance; no convention issue);
 * - `assdMm` = mean of the pooled distances (MONAI's symmetric average surface distance; medpy's
 *   `assd` instead averages the two directed means, which differs when the surfaces differ in size).
 * Empty masks: both empty → all 0; exactly one empty → all NaN (undefined; reports show "n/a"
 * and count such cases).
 * For speed the masks are cropped to the bounding box of both plus a one-voxel margin (clamped
 * to the grid) before the EDT; this changes no distance and no surface voxel. Pure.
 */
import { type GridBox, boxShape, maskBoundingBox } from '../core/grid-box.js';
import type { Vec3 } from '../core/vec.js';
import { squaredDistanceToMaskMm2 } from './distance-transform.js';

export interface SurfaceDistanceInput {
  /** Any non-zero voxel is in the mask. */
  readonly truth: ArrayLike<number>;
  readonly prediction: ArrayLike<number>;
  readonly shape: Vec3;
  readonly spacingMm: Vec3;
}

export interface SurfaceDistances {
  /** 95th percentile of the pooled symmetric surface distances (medpy convention), mm. */
  readonly hd95Mm: number;
  /** Mean of the pooled symmetric surface distances, mm. */
  readonly assdMm: number;
  /** Maximum surface distance (Hausdorff distance), mm. */
  readonly hdMm: number;
  readonly truthSurfaceVoxels: number;
  readonly predictedSurfaceVoxels: number;
}

export interface SurfaceDistanceOptions {
  /** Percentile reported as `hd95Mm` (default 95). */
  readonly percentile?: number;
}

/** The part of `mask` inside `box` as a 0/1 mask, 1 where `select(value)` (default: non-zero). */
export function cropMask(options: {
  readonly mask: ArrayLike<number>;
  readonly shape: Vec3;
  readonly box: GridBox;
  readonly select?: (value: number) => boolean;
}): Uint8Array {
  const { mask, shape, box } = options;
  const { select } = options;
  const [cx, cy, cz] = boxShape(box);
  const out = new Uint8Array(cx * cy * cz);
  let o = 0;
  for (let k = 0; k < cz; k++)
    for (let j = 0; j < cy; j++) {
      const row = box.lo[0] + shape[0] * (box.lo[1] + j + shape[1] * (box.lo[2] + k));
      if (select === undefined)
        for (let i = 0; i < cx; i++, o++) out[o] = mask[row + i] !== 0 ? 1 : 0;
      else for (let i = 0; i < cx; i++, o++) out[o] = select(mask[row + i]!) ? 1 : 0;
    }
  return out;
}

/** Surface voxels (see the file header) of a 0/1 mask; a neighbour off the grid is outside. */
export function surfaceVoxels(mask: ArrayLike<number>, shape: Vec3): Uint8Array {
  const [nx, ny, nz] = shape;
  const sy = nx;
  const sz = nx * ny;
  const out = new Uint8Array(mask.length);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = i + sy * j + sz * k;
        if (mask[v] === 0) continue;
        const inside =
          i > 0 &&
          i < nx - 1 &&
          j > 0 &&
          j < ny - 1 &&
          k > 0 &&
          k < nz - 1 &&
          mask[v - 1] !== 0 &&
          mask[v + 1] !== 0 &&
          mask[v - sy] !== 0 &&
          mask[v + sy] !== 0 &&
          mask[v - sz] !== 0 &&
          mask[v + sz] !== 0;
        if (!inside) out[v] = 1;
      }
  return out;
}

/** Percentile of sorted values with numpy's default linear interpolation. */
function percentileOfSorted(sorted: Float64Array, percentile: number): number {
  const pos = (percentile / 100) * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function surfaceDistances(
  input: SurfaceDistanceInput,
  options: SurfaceDistanceOptions = {},
): SurfaceDistances {
  const { truth, prediction, shape, spacingMm } = input;
  const n = shape[0] * shape[1] * shape[2];
  if (truth.length !== n || prediction.length !== n)
    throw new RangeError(
      `masks hold ${truth.length} and ${prediction.length} voxels, shape needs ${n}`,
    );
  const percentile = options.percentile ?? 95;
  const box = maskBoundingBox({ masks: [truth, prediction], shape, marginVoxels: 1 });
  if (box === null)
    return { hd95Mm: 0, assdMm: 0, hdMm: 0, truthSurfaceVoxels: 0, predictedSurfaceVoxels: 0 };
  const cropShape = boxShape(box);
  const surfT = surfaceVoxels(cropMask({ mask: truth, shape, box }), cropShape);
  const surfP = surfaceVoxels(cropMask({ mask: prediction, shape, box }), cropShape);
  let countT = 0;
  let countP = 0;
  for (let v = 0; v < surfT.length; v++) {
    countT += surfT[v]!;
    countP += surfP[v]!;
  }
  if (countT === 0 || countP === 0)
    return {
      hd95Mm: NaN,
      assdMm: NaN,
      hdMm: NaN,
      truthSurfaceVoxels: countT,
      predictedSurfaceVoxels: countP,
    };
  const toP = squaredDistanceToMaskMm2({ mask: surfP, shape: cropShape, spacingMm });
  const toT = squaredDistanceToMaskMm2({ mask: surfT, shape: cropShape, spacingMm });
  const pooled = new Float64Array(countT + countP);
  let o = 0;
  let sum = 0;
  for (let v = 0; v < surfT.length; v++) {
    if (surfT[v]) sum += pooled[o++] = Math.sqrt(toP[v]!);
    if (surfP[v]) sum += pooled[o++] = Math.sqrt(toT[v]!);
  }
  pooled.sort();
  return {
    hd95Mm: percentileOfSorted(pooled, percentile),
    assdMm: sum / pooled.length,
    hdMm: pooled[pooled.length - 1]!,
    truthSurfaceVoxels: countT,
    predictedSurfaceVoxels: countP,
  };
}
