/**
 * The regions of a head CT that the image checks measure, found from HU alone (the brain mask,
 * when registration gave one, only narrows them):
 *
 * - `bone`: > 500 HU (cortical and diploic bone; calcifications rarely reach it over a volume);
 * - `intracranial`: per axial slice, what the skull ring (≥ 250 HU) encloses, ∩ the brain mask;
 *   a slice whose ring has a gap (skull base foramina, vertex partial volume) encloses nothing;
 * - `deep`: intracranial voxels ≥ 10 mm (box) from any bone voxel, where partial volume of a
 *   bone surface tangent to a thick, tilted slice can no longer make 130–400 HU "tissue". On the
 *   real GE head CT (4 mm, 18.5° tilt) a 5 mm clearance left 3.1 mL of 130–400 HU voxels, most of
 *   it around the sella and at the vertex; 10 mm left 0.38 mL (pineal, choroid plexus).
 * - per slice: enclosed area and its centroid, and the in-plane left–right extent of the body
 *   (voxels > −200 HU).
 */
import type { Volume } from '../../core/volume.js';
import type { NativeMask } from '../intracranial-mask.js';
import { dilateBoxMm, enclosedBySlice } from './mask-morphology.js';

export const SKULL_RING_HU = 250;
export const BONE_HU = 500;
export const BODY_HU = -200;
export const DEEP_CLEARANCE_MM = 10;

export interface SliceOutline {
  /** Area enclosed by the skull ring (and in the brain mask), cm². */
  readonly enclosedCm2: number;
  /** Centroid of the enclosed region, mm along the grid's x and y (NaN when none). */
  readonly centroidMm: readonly [number, number];
  /** Left–right extent of voxels > −200 HU, mm (0 when none). */
  readonly bodyWidthMm: number;
}

export interface CtHeadRegions {
  readonly intracranial: Uint8Array;
  readonly deep: Uint8Array;
  readonly slices: readonly SliceOutline[];
}

export function ctHeadRegions(options: { ct: Volume; inside?: NativeMask }): CtHeadRegions {
  const { ct, inside } = options;
  const { shape, spacingMm } = ct.geometry;
  const [nx, ny, nz] = shape;
  const n = ct.data.length;
  const wall = new Uint8Array(n);
  const bone = new Uint8Array(n);
  for (let v = 0; v < n; v++) {
    const hu = ct.data[v]!;
    if (hu >= SKULL_RING_HU) wall[v] = 1;
    if (hu > BONE_HU) bone[v] = 1;
  }
  const intracranial = enclosedBySlice({ wall, shape });
  if (inside)
    for (let v = 0; v < n; v++) if (intracranial[v] && !inside.contains(v)) intracranial[v] = 0;
  // The z radius is at least two slices: a tilted 4-mm slice can cut a bone surface obliquely.
  const zSpacing = Math.min(spacingMm[2], DEEP_CLEARANCE_MM / 2);
  const nearBone = dilateBoxMm({
    mask: bone,
    shape,
    spacingMm: [spacingMm[0], spacingMm[1], zSpacing],
    radiusMm: DEEP_CLEARANCE_MM,
  });
  const deep = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (intracranial[v] && !nearBone[v]) deep[v] = 1;
  const pixelCm2 = (spacingMm[0] * spacingMm[1]) / 100;
  const slices: SliceOutline[] = [];
  for (let k = 0; k < nz; k++) {
    let count = 0;
    let sx = 0;
    let sy = 0;
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (intracranial[v]) {
          count++;
          sx += i;
          sy += j;
        }
        if (ct.data[v]! > BODY_HU) {
          if (i < lo) lo = i;
          if (i > hi) hi = i;
        }
      }
    slices.push({
      enclosedCm2: count * pixelCm2,
      centroidMm: [(sx / count) * spacingMm[0], (sy / count) * spacingMm[1]],
      bodyWidthMm: hi >= lo ? (hi - lo + 1) * spacingMm[0] : 0,
    });
  }
  return { intracranial, deep, slices };
}
