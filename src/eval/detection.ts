/**
 * Lesion detection stratified by size and by region.
 * - Truth lesions are the 26-connected components of the non-zero truth voxels (as in ISLES'22).
 * - A truth lesion is detected when any of its voxels is non-zero in the prediction (the ISLES
 *   lesion-F1 rule: "touched by the prediction").
 * - Size bins by lesion volume V (voxel count × voxel volume): `≤0.1 mL` (V ≤ 0.1),
 *   `0.1–1 mL` (0.1 < V ≤ 1), `1–10 mL` (1 < V ≤ 10), `>10 mL` (V > 10); edges compared with a
 *   relative tolerance of 1e-9 so that 100 voxels of 1 mm³ fall in `≤0.1 mL`.
 * - Region: with a `regionOf(voxelIndex)` callback (the caller maps voxels to atlas regions), the
 *   region holding most of the lesion's voxels; voxels mapped to undefined form their own bucket,
 *   and when that bucket wins the lesion's region is `unassigned`. Ties go to the
 *   alphabetically first region, and a named region wins a tie with `unassigned`. Without a
 *   callback the region is undefined and `byRegion` is empty.
 * - False positives: predicted 26-connected components touching no truth voxel.
 * - Sensitivity = detected / lesions, NaN for a stratum without lesions.
 * Pure.
 */
import { connectedComponents } from '../core/connected-components.js';
import type { Vec3 } from '../core/vec.js';
import { boxShape, maskBoundingBox } from '../core/grid-box.js';
import { cropMask } from './surface-distance.js';

export const SIZE_BINS = ['≤0.1 mL', '0.1–1 mL', '1–10 mL', '>10 mL'] as const;
export type SizeBin = (typeof SIZE_BINS)[number];
/** Region of a lesion whose voxels are mostly outside every region of `regionOf`. */
export const UNASSIGNED_REGION = 'unassigned';

export function sizeBinOf(volumeMl: number): SizeBin {
  const le = (edge: number) => volumeMl <= edge * (1 + 1e-9);
  if (le(0.1)) return '≤0.1 mL';
  if (le(1)) return '0.1–1 mL';
  if (le(10)) return '1–10 mL';
  return '>10 mL';
}

export interface DetectionInput {
  /** Any non-zero voxel is lesion; index i + nx·(j + ny·k). */
  readonly truth: ArrayLike<number>;
  readonly prediction: ArrayLike<number>;
  readonly shape: Vec3;
  readonly spacingMm: Vec3;
  /** Region name of a voxel (index into the full grid), undefined outside all regions. */
  readonly regionOf?: (voxelIndex: number) => string | undefined;
}

export interface LesionRow {
  /** Component number within its case, 1.. in raster order of first voxel. */
  readonly lesion: number;
  readonly voxels: number;
  readonly volumeMl: number;
  readonly sizeBin: SizeBin;
  readonly detected: boolean;
  /** Majority region; undefined when no `regionOf` was given. */
  readonly region: string | undefined;
}

export interface Stratum {
  readonly lesions: number;
  readonly detected: number;
  /** detected / lesions; NaN without lesions. */
  readonly sensitivity: number;
}

export interface DetectionSummary {
  readonly overall: Stratum;
  /** Every size bin, in SIZE_BINS order, even when empty. */
  readonly bySize: Readonly<Record<SizeBin, Stratum>>;
  /** Regions that hold at least one lesion. */
  readonly byRegion: Readonly<Record<string, Stratum>>;
}

export interface CaseDetection extends DetectionSummary {
  readonly rows: readonly LesionRow[];
  readonly predictedLesions: number;
  readonly falsePositiveLesions: number;
}

export interface PooledDetection extends DetectionSummary {
  readonly cases: number;
  readonly falsePositiveLesions: number;
  /** falsePositiveLesions / cases; NaN for no cases. */
  readonly falsePositivesPerCase: number;
}

function stratum(lesions: number, detected: number): Stratum {
  return { lesions, detected, sensitivity: lesions === 0 ? NaN : detected / lesions };
}

/** Size- and region-stratified sensitivity of lesion rows (from one case or many). */
export function summarizeLesions(rows: readonly LesionRow[]): DetectionSummary {
  const size = new Map<SizeBin, [number, number]>(SIZE_BINS.map((b) => [b, [0, 0]]));
  const region = new Map<string, [number, number]>();
  let detected = 0;
  for (const r of rows) {
    const d = r.detected ? 1 : 0;
    detected += d;
    const s = size.get(r.sizeBin)!;
    s[0]++;
    s[1] += d;
    if (r.region === undefined) continue;
    const g = region.get(r.region) ?? [0, 0];
    g[0]++;
    g[1] += d;
    region.set(r.region, g);
  }
  const bySize = {} as Record<SizeBin, Stratum>;
  for (const b of SIZE_BINS) bySize[b] = stratum(...size.get(b)!);
  const byRegion: Record<string, Stratum> = {};
  for (const name of [...region.keys()].sort()) byRegion[name] = stratum(...region.get(name)!);
  return { overall: stratum(rows.length, detected), bySize, byRegion };
}

function majorityRegion(counts: Map<string | undefined, number>): string {
  let best: string | undefined;
  let bestCount = -1;
  for (const [name, c] of counts) {
    const better =
      c > bestCount ||
      (c === bestCount &&
        name !== undefined &&
        (best === undefined || name.localeCompare(best) < 0));
    if (better) {
      best = name;
      bestCount = c;
    }
  }
  return best ?? UNASSIGNED_REGION;
}

export function detectLesions(input: DetectionInput): CaseDetection {
  const { truth, prediction, shape, spacingMm, regionOf } = input;
  const n = shape[0] * shape[1] * shape[2];
  if (truth.length !== n || prediction.length !== n)
    throw new RangeError(
      `masks hold ${truth.length} and ${prediction.length} voxels, shape needs ${n}`,
    );
  const voxelMl = (spacingMm[0] * spacingMm[1] * spacingMm[2]) / 1000;
  // Components never cross the bounding box of both masks, so label only inside it.
  const box = maskBoundingBox({ masks: [truth, prediction], shape });
  if (box === null)
    return { ...summarizeLesions([]), rows: [], predictedLesions: 0, falsePositiveLesions: 0 };
  const cropShape = boxShape(box);
  const t = cropMask({ mask: truth, shape, box });
  const p = cropMask({ mask: prediction, shape, box });
  const truthCc = connectedComponents(t, cropShape, { connectivity: 26 });
  const predCc = connectedComponents(p, cropShape, { connectivity: 26 });
  const truthHit = new Uint8Array(truthCc.count + 1);
  const predHit = new Uint8Array(predCc.count + 1);
  const regionCounts = regionOf
    ? Array.from({ length: truthCc.count + 1 }, () => new Map<string | undefined, number>())
    : undefined;
  const [cx, cy, cz] = cropShape;
  let o = 0;
  for (let k = 0; k < cz; k++)
    for (let j = 0; j < cy; j++)
      for (let i = 0; i < cx; i++, o++) {
        const lt = truthCc.labels[o]!;
        if (lt === 0) continue;
        if (p[o]) {
          truthHit[lt] = 1;
          predHit[predCc.labels[o]!] = 1;
        }
        if (regionOf && regionCounts) {
          const v = box.lo[0] + i + shape[0] * (box.lo[1] + j + shape[1] * (box.lo[2] + k));
          const name = regionOf(v);
          const counts = regionCounts[lt]!;
          counts.set(name, (counts.get(name) ?? 0) + 1);
        }
      }
  const rows: LesionRow[] = [];
  for (let l = 1; l <= truthCc.count; l++) {
    const voxels = truthCc.sizes[l]!;
    const volumeMl = voxels * voxelMl;
    rows.push({
      lesion: l,
      voxels,
      volumeMl,
      sizeBin: sizeBinOf(volumeMl),
      detected: truthHit[l] === 1,
      region: regionCounts ? majorityRegion(regionCounts[l]!) : undefined,
    });
  }
  let fp = 0;
  for (let l = 1; l <= predCc.count; l++) if (!predHit[l]) fp++;
  return {
    ...summarizeLesions(rows),
    rows,
    predictedLesions: predCc.count,
    falsePositiveLesions: fp,
  };
}

/** Pools the lesion rows and false positives of many cases. */
export function aggregateDetection(
  cases: readonly Pick<CaseDetection, 'rows' | 'falsePositiveLesions'>[],
): PooledDetection {
  const rows = cases.flatMap((c) => c.rows);
  const fp = cases.reduce((s, c) => s + c.falsePositiveLesions, 0);
  return {
    ...summarizeLesions(rows),
    cases: cases.length,
    falsePositiveLesions: fp,
    falsePositivesPerCase: cases.length === 0 ? NaN : fp / cases.length,
  };
}
