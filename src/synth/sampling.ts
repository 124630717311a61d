/**
 * Pull-rendering through a spatial transform: for each voxel of an output grid, the template
 * (world, LPS mm) position it shows is computed once (`mapToTemplate`), then any number of
 * template-space volumes are sampled at those positions, linearly (images, probabilities) or
 * by nearest neighbour (labels). Pure.
 */
import {
  type Geometry,
  indexToWorldMatrix,
  voxelCount,
  worldToIndexAffine,
} from '../core/geometry.js';
import type { Vec3 } from '../core/vec.js';
import type { Volume, VoxelArray } from '../core/volume.js';
import type { SpatialTransform } from './spatial-transform.js';

/** Template-space positions (x, y, z interleaved, mm) of every voxel of `grid`. */
export interface TemplateMap {
  readonly grid: Geometry;
  readonly positionsMm: Float32Array;
}

export function mapToTemplate(
  grid: Geometry,
  transform: Pick<SpatialTransform, 'toTemplate'>,
): TemplateMap {
  const m = indexToWorldMatrix(grid);
  const [nx, ny, nz] = grid.shape;
  const out = new Float32Array(voxelCount(grid) * 3);
  let n = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const p: Vec3 = [
          m[0]! * i + m[1]! * j + m[2]! * k + m[3]!,
          m[4]! * i + m[5]! * j + m[6]! * k + m[7]!,
          m[8]! * i + m[9]! * j + m[10]! * k + m[11]!,
        ];
        const t = transform.toTemplate(p);
        out[n++] = t[0];
        out[n++] = t[1];
        out[n++] = t[2];
      }
  return { grid, positionsMm: out };
}

export interface SampleOptions {
  /** Value outside the source grid (default 0). */
  readonly fillValue?: number;
}

/** Trilinear sample of a template-space volume at every mapped position. */
export function sampleLinear(
  source: Volume,
  map: TemplateMap,
  options: SampleOptions = {},
): Float32Array {
  const { m, o } = worldToIndexAffine(source.geometry);
  const [sx, sy, sz] = source.geometry.shape;
  const d: VoxelArray = source.data;
  const fill = options.fillValue ?? 0;
  const p = map.positionsMm;
  const n = p.length / 3;
  const out = new Float32Array(n);
  const sxy = sx * sy;
  for (let v = 0; v < n; v++) {
    const x = p[3 * v]!;
    const y = p[3 * v + 1]!;
    const z = p[3 * v + 2]!;
    const fi = m[0] * x + m[1] * y + m[2] * z + o[0];
    const fj = m[3] * x + m[4] * y + m[5] * z + o[1];
    const fk = m[6] * x + m[7] * y + m[8] * z + o[2];
    if (fi < 0 || fj < 0 || fk < 0 || fi > sx - 1 || fj > sy - 1 || fk > sz - 1) {
      out[v] = fill;
      continue;
    }
    const i0 = Math.min(Math.floor(fi), sx - 2 < 0 ? 0 : sx - 2);
    const j0 = Math.min(Math.floor(fj), sy - 2 < 0 ? 0 : sy - 2);
    const k0 = Math.min(Math.floor(fk), sz - 2 < 0 ? 0 : sz - 2);
    const ax = fi - i0;
    const ay = fj - j0;
    const az = fk - k0;
    const b = i0 + sx * j0 + sxy * k0;
    const di = sx > 1 ? 1 : 0;
    const dj = sy > 1 ? sx : 0;
    const dk = sz > 1 ? sxy : 0;
    const c00 = d[b]! + ax * (d[b + di]! - d[b]!);
    const c10 = d[b + dj]! + ax * (d[b + dj + di]! - d[b + dj]!);
    const c01 = d[b + dk]! + ax * (d[b + dk + di]! - d[b + dk]!);
    const c11 = d[b + dk + dj]! + ax * (d[b + dk + dj + di]! - d[b + dk + dj]!);
    const c0 = c00 + ay * (c10 - c00);
    const c1 = c01 + ay * (c11 - c01);
    out[v] = c0 + az * (c1 - c0);
  }
  return out;
}

/** Nearest-neighbour sample (labels) at every mapped position; 0 outside. */
export function sampleNearest(source: Volume, map: TemplateMap): Uint8Array {
  const { m, o } = worldToIndexAffine(source.geometry);
  const [sx, sy, sz] = source.geometry.shape;
  const d = source.data;
  const p = map.positionsMm;
  const n = p.length / 3;
  const out = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    const x = p[3 * v]!;
    const y = p[3 * v + 1]!;
    const z = p[3 * v + 2]!;
    const i = Math.round(m[0] * x + m[1] * y + m[2] * z + o[0]);
    const j = Math.round(m[3] * x + m[4] * y + m[5] * z + o[1]);
    const k = Math.round(m[6] * x + m[7] * y + m[8] * z + o[2]);
    if (i < 0 || j < 0 || k < 0 || i >= sx || j >= sy || k >= sz) continue;
    out[v] = d[i + sx * (j + sy * k)]!;
  }
  return out;
}
