/**
 * Which parts of the brain a scan imaged: every voxel of the lobe atlas (MNI) mapped through the
 * inverse of the scan's registration onto its grid; a region's fraction is the share of its
 * atlas voxels that land inside the scanned slab (and, optionally, on voxels with signal — a
 * zero-filled slice images nothing). A negative covers only what was imaged, so the report says
 * which regions were, and a region mostly outside the slab makes the study not assessable.
 */
import {
  type Geometry,
  indexToWorld,
  sameGeometry,
  worldToIndexAffine,
} from '../../core/geometry.js';
import type { Volume } from '../../core/volume.js';
import { type Mat3, type Mat4, invert } from '../../core/vec.js';
import type { AtlasLike } from '../localise-lesions.js';
import type { AssessmentReason } from './assessment-reason.js';

/** A region below this share imaged makes the study not assessable. */
export const MIN_REGION_COVERAGE = 0.5;
/** A region at or above this share counts as fully imaged; between the two, "partly imaged". */
export const FULL_REGION_COVERAGE = 0.9;

export interface RegionCoverage {
  /** e.g. 'brainstem', 'cerebellum', 'left frontal lobe', 'right deep grey matter'. */
  readonly region: string;
  /** Share of the region's atlas voxels inside the scanned slab, 0…1 (two decimals). */
  readonly fraction: number;
}

export interface BrainCoverage {
  readonly regions: readonly RegionCoverage[];
  /** Regions imaged below FULL_REGION_COVERAGE (imaged partly or not at all). */
  readonly incomplete: readonly string[];
  /** Share of the whole atlas brain imaged. */
  readonly brainFraction: number;
}

/** The coarse region of a lobe-atlas structure name (atlas_labels.csv), or undefined (ventricles). */
export function coverageRegion(structure: string): string | undefined {
  if (/brain\s*stem/i.test(structure)) return 'brainstem';
  if (/cerebell/i.test(structure)) return 'cerebellum';
  const side = /^left/i.test(structure) ? 'left' : /^right/i.test(structure) ? 'right' : undefined;
  if (!side) return undefined;
  if (/frontal/i.test(structure)) return `${side} frontal lobe`;
  if (/parietal/i.test(structure)) return `${side} parietal lobe`;
  if (/temporal|hippocamp/i.test(structure)) return `${side} temporal lobe`;
  if (/occipital/i.test(structure)) return `${side} occipital lobe`;
  if (/basal|caudate|thalamus|insula/i.test(structure)) return `${side} deep grey matter`;
  return undefined;
}

export interface CoverageOptions {
  /** The scan's grid (the registered image's). */
  readonly geometry: Geometry;
  /** 4×4 row-major, native LPS mm → template LPS mm (the accepted registration). */
  readonly patientToTemplate: Mat4;
  readonly lobeAtlas: AtlasLike;
  /**
   * Template brain mask (> 0 inside). The lobe atlas labels the whole intracranial box (its
   * frontal lobe reaches the skull), so a region counts only its voxels inside this mask.
   */
  readonly brainMask?: Volume;
  /** Whether a native voxel holds signal (e.g. not zero-filled); default every voxel. */
  readonly hasSignal?: (v: number) => boolean;
  /** Atlas voxels sampled every `stride` along each axis; default 2. */
  readonly stride?: number;
}

export function measureBrainCoverage(options: CoverageOptions): BrainCoverage {
  const { geometry, lobeAtlas } = options;
  const atlas = lobeAtlas.map;
  const [ax, ay, az] = atlas.geometry.shape;
  const stride = options.stride ?? 2;
  const t = options.patientToTemplate;
  const linear = invert([t[0]!, t[1]!, t[2]!, t[4]!, t[5]!, t[6]!, t[8]!, t[9]!, t[10]!] as Mat3);
  const shift = [t[3]!, t[7]!, t[11]!];
  const toIndex = worldToIndexAffine(geometry);
  const [nx, ny, nz] = geometry.shape;
  const regionOf = new Map<number, string | undefined>();
  const seen = new Map<string, { total: number; imaged: number }>();
  let total = 0;
  let imaged = 0;
  const inBrain = brainLookup(options.brainMask, atlas.geometry);
  for (let k = 0; k < az; k += stride)
    for (let j = 0; j < ay; j += stride)
      for (let i = 0; i < ax; i += stride) {
        const label = Math.round(atlas.data[i + ax * (j + ay * k)]!);
        if (label <= 0) continue;
        if (!regionOf.has(label))
          regionOf.set(label, coverageRegion(lobeAtlas.names.get(label) ?? ''));
        const region = regionOf.get(label);
        if (!region) continue;
        const w = indexToWorld(atlas.geometry, [i, j, k]);
        if (!inBrain(i, j, k, w)) continue;
        const d = [w[0] - shift[0]!, w[1] - shift[1]!, w[2] - shift[2]!];
        const p = [0, 1, 2].map(
          (r) => linear[3 * r]! * d[0]! + linear[3 * r + 1]! * d[1]! + linear[3 * r + 2]! * d[2]!,
        );
        const m = toIndex.m;
        const x = Math.round(m[0] * p[0]! + m[1] * p[1]! + m[2] * p[2]! + toIndex.o[0]);
        const y = Math.round(m[3] * p[0]! + m[4] * p[1]! + m[5] * p[2]! + toIndex.o[1]);
        const z = Math.round(m[6] * p[0]! + m[7] * p[1]! + m[8] * p[2]! + toIndex.o[2]);
        const inside =
          x >= 0 &&
          y >= 0 &&
          z >= 0 &&
          x < nx &&
          y < ny &&
          z < nz &&
          (options.hasSignal?.(x + nx * (y + ny * z)) ?? true);
        const s = seen.get(region) ?? { total: 0, imaged: 0 };
        s.total++;
        total++;
        if (inside) {
          s.imaged++;
          imaged++;
        }
        seen.set(region, s);
      }
  const regions = [...seen.entries()]
    .map(([region, s]) => ({ region, fraction: Math.round((s.imaged / s.total) * 100) / 100 }))
    .sort(
      (a, b) => regionOrder(a.region) - regionOrder(b.region) || a.region.localeCompare(b.region),
    );
  return {
    regions,
    incomplete: regions.filter((r) => r.fraction < FULL_REGION_COVERAGE).map((r) => r.region),
    brainFraction: total > 0 ? Math.round((imaged / total) * 100) / 100 : 0,
  };
}

/** Whether an atlas voxel (index and world mm) lies in the brain mask; always true without one. */
function brainLookup(
  mask: Volume | undefined,
  atlasGrid: Geometry,
): (i: number, j: number, k: number, worldMm: readonly number[]) => boolean {
  if (!mask) return () => true;
  const [mx, my, mz] = mask.geometry.shape;
  if (sameGeometry(mask.geometry, atlasGrid))
    return (i, j, k) => mask.data[i + mx * (j + my * k)]! > 0;
  const { m, o } = worldToIndexAffine(mask.geometry);
  return (_i, _j, _k, w) => {
    const x = Math.round(m[0] * w[0]! + m[1] * w[1]! + m[2] * w[2]! + o[0]);
    const y = Math.round(m[3] * w[0]! + m[4] * w[1]! + m[5] * w[2]! + o[1]);
    const z = Math.round(m[6] * w[0]! + m[7] * w[1]! + m[8] * w[2]! + o[2]);
    if (x < 0 || y < 0 || z < 0 || x >= mx || y >= my || z >= mz) return false;
    return mask.data[x + mx * (y + my * z)]! > 0;
  };
}

/** Posterior fossa first (where a missed infarct is most dangerous), then the lobes. */
function regionOrder(region: string): number {
  return region === 'brainstem' ? 0 : region === 'cerebellum' ? 1 : 2;
}

/** The not-assessable reason for regions imaged below MIN_REGION_COVERAGE, if any. */
export function coverageReason(coverage: BrainCoverage): AssessmentReason | undefined {
  const missing = coverage.regions.filter((r) => r.fraction < MIN_REGION_COVERAGE);
  if (missing.length === 0) return undefined;
  const worst = Math.min(...missing.map((r) => r.fraction));
  return {
    code: 'coverage',
    message: `brain coverage incomplete: ${missing.map((r) => `${r.region} ${Math.round(r.fraction * 100)} %`).join(', ')} imaged`,
    measured: worst,
    limit: MIN_REGION_COVERAGE,
  };
}

/** One line for a negative: what it covers ("…; cerebellum 62 % imaged"), or '' when complete. */
export function coverageNote(coverage: BrainCoverage): string {
  const partial = coverage.regions.filter((r) => r.fraction < FULL_REGION_COVERAGE);
  if (partial.length === 0) return '';
  return `covers the imaged part only: ${partial.map((r) => `${r.region} ${Math.round(r.fraction * 100)} %`).join(', ')} imaged`;
}
