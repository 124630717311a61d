/**
 * The brain-mask step of `analyze`: the template's brain mask, dilated by a margin (extra-axial
 * spaces: subdural and epidural blood lie outside the brain; affine registration error), mapped
 * onto the patient's native grid through the registration. Lesions mostly outside it (neck
 * muscles, scalp, orbits) are not intracranial findings. The dilation is done once per mask on a
 * coarse copy (cells of ~4 mm: a cell is inside when any voxel in it is), then each native voxel
 * looks up its cell, on demand (`intracranialRegion`) or for the whole grid (`intracranialMask`).
 * Pure (the cache never changes a result).
 */
import { indexToWorldMatrix, voxelCount } from '../core/geometry.js';
import { type GridBox, boxFromExtent, maskBoundingBox } from '../core/grid-box.js';
import type { Mat4, Vec3 } from '../core/vec.js';
import type { Volume } from '../core/volume.js';
import { applyAffine, composeAffine, invertAffine } from '../registration/affine-matrix.js';

export interface IntracranialMaskOptions {
  /** Native grid of the patient image (where the mask is wanted). */
  readonly geometry: Volume['geometry'];
  /** 4×4 row-major, patient LPS mm → template LPS mm. */
  readonly patientToTemplate: Mat4;
  /** Brain mask on the template grid (> 0 inside). */
  readonly brainMask: Volume;
  /** Dilation, mm; default 8. */
  readonly marginMm?: number;
}

interface CoarseMask {
  readonly cell: number;
  readonly shape: readonly [number, number, number];
  readonly data: Uint8Array;
}

const CELL_MM = 4;
const cache = new WeakMap<Volume, Map<number, CoarseMask>>();

function coarseMask(mask: Volume, marginMm: number): CoarseMask {
  const hit = cache.get(mask)?.get(marginMm);
  if (hit) return hit;
  const [nx, ny, nz] = mask.geometry.shape;
  const voxelMm = Math.min(...mask.geometry.spacingMm);
  const cell = Math.max(1, Math.round(CELL_MM / voxelMm));
  const shape = [Math.ceil(nx / cell), Math.ceil(ny / cell), Math.ceil(nz / cell)] as const;
  const [cx, cy, cz] = shape;
  let data = new Uint8Array(cx * cy * cz);
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++)
        if (mask.data[i + nx * (j + ny * k)]! > 0)
          data[Math.floor(i / cell) + cx * (Math.floor(j / cell) + cy * Math.floor(k / cell))] = 1;
  const steps = Math.ceil(marginMm / (cell * voxelMm));
  for (let s = 0; s < steps; s++) {
    const next = data.slice();
    for (let k = 0; k < cz; k++)
      for (let j = 0; j < cy; j++)
        for (let i = 0; i < cx; i++) {
          if (!data[i + cx * (j + cy * k)]) continue;
          for (let dk = -1; dk <= 1; dk++)
            for (let dj = -1; dj <= 1; dj++)
              for (let di = -1; di <= 1; di++) {
                const a = i + di;
                const b = j + dj;
                const c = k + dk;
                if (a >= 0 && b >= 0 && c >= 0 && a < cx && b < cy && c < cz)
                  next[a + cx * (b + cy * c)] = 1;
              }
        }
    data = next;
  }
  const out = { cell, shape, data };
  const byMargin = cache.get(mask) ?? new Map<number, CoarseMask>();
  byMargin.set(marginMm, out);
  cache.set(mask, byMargin);
  return out;
}

/**
 * A mask on a native grid, asked per voxel (linear index) rather than stored: on a 0.6-mm CT a
 * stored mask is 38 M voxels to compute, and analyze only asks about lesion voxels and a few
 * candidates for the triage score. `box` bounds every voxel inside (null: none is).
 */
export interface NativeMask {
  contains(v: number): boolean;
  readonly box: GridBox | null;
}

/** A stored mask (> 0 inside) as a NativeMask. */
export function nativeMaskFromArray(data: ArrayLike<number>, shape: Vec3): NativeMask {
  return { contains: (v) => data[v]! > 0, box: maskBoundingBox({ masks: [data], shape }) };
}

/** The dilated template brain mask on the native grid, evaluated on demand. */
export function intracranialRegion(options: IntracranialMaskOptions): NativeMask {
  const coarse = coarseMask(options.brainMask, options.marginMm ?? 8);
  // Native index → template index, one affine: templateIndex ∘ patientToTemplate ∘ nativeWorld.
  const t = composeAffine(
    composeAffine(
      invertAffine(indexToWorldMatrix(options.brainMask.geometry)),
      options.patientToTemplate,
    ),
    indexToWorldMatrix(options.geometry),
  );
  const shape = options.geometry.shape;
  const [nx, ny] = shape;
  const [cx, cy, cz] = coarse.shape;
  const inv = 1 / coarse.cell;
  const contains = (v: number): boolean => {
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const k = Math.floor(v / (nx * ny));
    const a0 = Math.floor((t[0]! * i + t[1]! * j + t[2]! * k + t[3]! + 0.5) * inv);
    const a1 = Math.floor((t[4]! * i + t[5]! * j + t[6]! * k + t[7]! + 0.5) * inv);
    const a2 = Math.floor((t[8]! * i + t[9]! * j + t[10]! * k + t[11]! + 0.5) * inv);
    if (a0 < 0 || a1 < 0 || a2 < 0 || a0 >= cx || a1 >= cy || a2 >= cz) return false;
    return coarse.data[a0 + cx * (a1 + cy * a2)] === 1;
  };
  return { contains, box: regionBox(coarse, invertAffine(t), shape) };
}

/**
 * Native box holding every voxel that maps into an inside cell: each inside cell's centre mapped
 * back, grown by the mapped half-cell (a tight box even when the registration rotates).
 */
function regionBox(coarse: CoarseMask, templateToNative: Mat4, shape: Vec3): GridBox | null {
  const m = templateToNative;
  const h = coarse.cell / 2;
  const extent = [0, 1, 2].map(
    (r) => h * (Math.abs(m[4 * r]!) + Math.abs(m[4 * r + 1]!) + Math.abs(m[4 * r + 2]!)),
  );
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  const [cx, cy, cz] = coarse.shape;
  let c = 0;
  for (let k = 0; k < cz; k++)
    for (let j = 0; j < cy; j++)
      for (let i = 0; i < cx; i++, c++) {
        if (!coarse.data[c]) continue;
        // Cell (i, j, k) holds template indices t with floor((t + 0.5) / cell) = i: centre below.
        const q = applyAffine(m, [
          (i + 0.5) * coarse.cell - 0.5,
          (j + 0.5) * coarse.cell - 0.5,
          (k + 0.5) * coarse.cell - 0.5,
        ]);
        for (let a = 0; a < 3; a++) {
          lo[a] = Math.min(lo[a]!, q[a]! - extent[a]!);
          hi[a] = Math.max(hi[a]!, q[a]! + extent[a]!);
        }
      }
  if (lo[0] === Infinity) return null;
  return boxFromExtent({ lo, hi, shape });
}

/** 1 where the native voxel maps inside the dilated template brain mask (stored). */
export function intracranialMask(options: IntracranialMaskOptions): Uint8Array {
  const region = intracranialRegion(options);
  const out = new Uint8Array(voxelCount(options.geometry));
  for (let v = 0; v < out.length; v++) if (region.contains(v)) out[v] = 1;
  return out;
}
