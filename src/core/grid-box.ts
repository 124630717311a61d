/**
 * Boxes of voxels (inclusive index ranges [lo, hi] per axis x, y, z) on a grid: the bounding box
 * of masks, the same region on another grid, and copying a box out of a [C, Z, Y, X] tensor
 * and back. Used to run a model only over the brain rather than the whole field of view, and by
 * the metrics to work inside the box of truth and prediction.
 */
import { type Geometry, indexToWorld, worldToIndex } from './geometry.js';
import type { Vec3 } from './vec.js';

export interface GridBox {
  /** First voxel index per axis (x, y, z), inclusive. */
  readonly lo: Vec3;
  /** Last voxel index per axis (x, y, z), inclusive. */
  readonly hi: Vec3;
}

/**
 * The voxels covering the continuous index range lo..hi per axis (rounded outwards), grown by
 * `marginVoxels` and clipped to `shape`; null when nothing of it lies on the grid.
 */
export function boxFromExtent(options: {
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
  shape: Vec3;
  marginVoxels?: number;
}): GridBox | null {
  const { lo, hi, shape } = options;
  const margin = options.marginVoxels ?? 0;
  const out = { lo: [0, 0, 0], hi: [0, 0, 0] };
  for (let a = 0; a < 3; a++) {
    out.lo[a] = Math.max(0, Math.floor(lo[a]!) - margin);
    out.hi[a] = Math.min(shape[a]! - 1, Math.ceil(hi[a]!) + margin);
    if (!(out.lo[a]! <= out.hi[a]!)) return null;
  }
  return { lo: out.lo as unknown as Vec3, hi: out.hi as unknown as Vec3 };
}

/**
 * Bounding box of the non-zero voxels of any of `masks` (X fastest), grown by `marginVoxels` and
 * clipped to the grid; null when every voxel is zero.
 */
export function maskBoundingBox(options: {
  readonly masks: readonly ArrayLike<number>[];
  readonly shape: Vec3;
  readonly marginVoxels?: number;
}): GridBox | null {
  const { masks, shape } = options;
  const [nx, ny, nz] = shape;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-1, -1, -1];
  for (const mask of masks) {
    let v = 0;
    for (let k = 0; k < nz; k++)
      for (let j = 0; j < ny; j++)
        for (let i = 0; i < nx; i++, v++) {
          if (mask[v] === 0) continue;
          if (i < lo[0]!) lo[0] = i;
          if (i > hi[0]!) hi[0] = i;
          if (j < lo[1]!) lo[1] = j;
          if (j > hi[1]!) hi[1] = j;
          if (k < lo[2]!) lo[2] = k;
          if (k > hi[2]!) hi[2] = k;
        }
  }
  if (hi[0]! < 0) return null;
  return boxFromExtent({ lo, hi, shape, marginVoxels: options.marginVoxels ?? 0 });
}

/**
 * The box on `to` that holds `box` on `from` (its eight corner voxel centres mapped through
 * world space, rounded outwards), grown by `marginVoxels` and clipped to `to`; null when they
 * do not meet.
 */
export function boxOnGrid(options: {
  box: GridBox;
  from: Geometry;
  to: Geometry;
  marginVoxels?: number;
}): GridBox | null {
  const { box, from, to } = options;
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let corner = 0; corner < 8; corner++) {
    const ijk: Vec3 = [
      corner & 1 ? box.hi[0] : box.lo[0],
      corner & 2 ? box.hi[1] : box.lo[1],
      corner & 4 ? box.hi[2] : box.lo[2],
    ];
    const t = worldToIndex(to, indexToWorld(from, ijk));
    for (let a = 0; a < 3; a++) {
      lo[a] = Math.min(lo[a]!, t[a]!);
      hi[a] = Math.max(hi[a]!, t[a]!);
    }
  }
  return boxFromExtent({ lo, hi, shape: to.shape, marginVoxels: options.marginVoxels ?? 0 });
}

/** Grows each axis of `box` to at least `size` voxels (about its centre), within `shape`. */
export function growBox(box: GridBox, size: Vec3, shape: Vec3): GridBox {
  const lo = [0, 0, 0];
  const hi = [0, 0, 0];
  for (let a = 0; a < 3; a++) {
    const n = shape[a]!;
    const want = Math.min(n, Math.max(size[a]!, box.hi[a]! - box.lo[a]! + 1));
    const centre = (box.lo[a]! + box.hi[a]!) / 2;
    const start = Math.max(0, Math.min(n - want, Math.round(centre - (want - 1) / 2)));
    lo[a] = start;
    hi[a] = start + want - 1;
  }
  return { lo: lo as unknown as Vec3, hi: hi as unknown as Vec3 };
}

export function boxShape(box: GridBox): Vec3 {
  return [box.hi[0] - box.lo[0] + 1, box.hi[1] - box.lo[1] + 1, box.hi[2] - box.lo[2] + 1];
}

/**
 * The box's voxels of every channel of a [C, Z, Y, X] tensor (shape given as x, y, z; one
 * channel: a volume), in an array of the same type.
 */
export function cropChannels<T extends Uint8Array | Float32Array>(options: {
  data: T;
  channels: number;
  shape: Vec3;
  box: GridBox;
}): T {
  const { data, channels, shape, box } = options;
  const [nx, ny, nz] = shape;
  const [bx, by, bz] = boxShape(box);
  const out = new (data.constructor as new (n: number) => T)(channels * bx * by * bz);
  let o = 0;
  for (let c = 0; c < channels; c++)
    for (let k = box.lo[2]; k <= box.hi[2]; k++)
      for (let j = box.lo[1]; j <= box.hi[1]; j++) {
        const start = box.lo[0] + nx * (j + ny * (k + nz * c));
        out.set(data.subarray(start, start + bx), o);
        o += bx;
      }
  return out;
}

/**
 * A [C, box] tensor placed into a [C, Z, Y, X] one of `shape` whose channel c is `fill[c]`
 * outside the box.
 */
export function pasteChannels(options: {
  data: Float32Array;
  fill: readonly number[];
  shape: Vec3;
  box: GridBox;
}): Float32Array {
  const { data, fill, shape, box } = options;
  const [nx, ny, nz] = shape;
  const n = nx * ny * nz;
  const [bx] = boxShape(box);
  const out = new Float32Array(fill.length * n);
  let o = 0;
  for (let c = 0; c < fill.length; c++) {
    if (fill[c] !== 0) out.fill(fill[c]!, c * n, (c + 1) * n);
    for (let k = box.lo[2]; k <= box.hi[2]; k++)
      for (let j = box.lo[1]; j <= box.hi[1]; j++) {
        out.set(data.subarray(o, o + bx), box.lo[0] + nx * (j + ny * (k + nz * c)));
        o += bx;
      }
  }
  return out;
}

/** The grid of the box's voxels: same spacing and direction, origin at its first voxel. */
export function boxGeometry(g: Geometry, box: GridBox): Geometry {
  return { ...g, shape: boxShape(box), originMm: indexToWorld(g, box.lo) };
}
