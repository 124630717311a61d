/**
 * The brain-mask step of `analyze`: the template's brain mask, dilated by a margin (extra-axial
 * spaces: subdural and epidural blood lie outside the brain; affine registration error), mapped
 * onto the patient's native grid through the registration. Lesions mostly outside it (neck
 * muscles, scalp, orbits) are not intracranial findings. The dilation is done once per mask on a
 * coarse copy (cells of ~4 mm: a cell is inside when any voxel in it is), then each native voxel
 * looks up its cell. Pure (the cache never changes a result).
 */
import { indexToWorldMatrix } from '../core/geometry.js';
import type { Mat4 } from '../core/vec.js';
import type { Volume } from '../core/volume.js';
import { composeAffine, invertAffine } from '../registration/affine-matrix.js';

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

/** 1 where the native voxel maps inside the dilated template brain mask. */
export function intracranialMask(options: IntracranialMaskOptions): Uint8Array {
  const coarse = coarseMask(options.brainMask, options.marginMm ?? 8);
  // Native index → template index, one affine: templateIndex ∘ patientToTemplate ∘ nativeWorld.
  const t = composeAffine(
    composeAffine(
      invertAffine(indexToWorldMatrix(options.brainMask.geometry)),
      options.patientToTemplate,
    ),
    indexToWorldMatrix(options.geometry),
  );
  const [nx, ny, nz] = options.geometry.shape;
  const [cx, cy, cz] = coarse.shape;
  const inv = 1 / coarse.cell;
  const out = new Uint8Array(nx * ny * nz);
  let v = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++) {
      const bx = t[1]! * j + t[2]! * k + t[3]!;
      const by = t[5]! * j + t[6]! * k + t[7]!;
      const bz = t[9]! * j + t[10]! * k + t[11]!;
      for (let i = 0; i < nx; i++, v++) {
        const a0 = Math.floor((bx + t[0]! * i + 0.5) * inv);
        const a1 = Math.floor((by + t[4]! * i + 0.5) * inv);
        const a2 = Math.floor((bz + t[8]! * i + 0.5) * inv);
        if (a0 < 0 || a1 < 0 || a2 < 0 || a0 >= cx || a1 >= cy || a2 >= cz) continue;
        out[v] = coarse.data[a0 + cx * (a1 + cy * a2)]!;
      }
    }
  return out;
}
