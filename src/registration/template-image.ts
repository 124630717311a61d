/**
 * The template side of registration, prepared once and reused for every patient: a pyramid of
 * the template, mapped to histogram-bin coordinates (see intensity-map.ts), each level stored
 * with its world-space gradient (central differences, bins per mm) interleaved as
 * [value, ∂/∂x, ∂/∂y, ∂/∂z] per voxel for one cache line per trilinear corner; plus the centre
 * of mass and volume of its foreground. Pure.
 */
import {
  type Geometry,
  indexToWorld,
  voxelVolumeMl,
  worldToIndexAffine,
} from '../core/geometry.js';
import type { Mat3, Vec3 } from '../core/vec.js';
import type { Volume } from '../core/volume.js';
import {
  ACCEPTANCE_BY_KIND,
  type AcceptanceCriteria,
  type TemplateKind,
} from './acceptance-criteria.js';
import { type IntensityMap, fitIntensityMap, mapIntensities } from './intensity-map.js';
import { buildPyramid } from './pyramid.js';

export interface TemplateLevel {
  readonly levelMm: number;
  readonly geometry: Geometry;
  /** 4 floats per voxel: bin coordinate and its world gradient (bins/mm) along x, y, z. */
  readonly channels: Float32Array;
  /** World (LPS mm) → continuous index: index = m · world + o. */
  readonly worldToIndex: { readonly m: Mat3; readonly o: Vec3 };
}

export interface PreparedTemplate {
  readonly name: string;
  readonly kind: TemplateKind;
  readonly bins: number;
  /** Levels in the order of `levelsMm` (coarse to fine by default). */
  readonly levels: readonly TemplateLevel[];
  readonly intensityMap: IntensityMap;
  /** Centre of mass of the foreground (LPS mm). */
  readonly centreMm: Vec3;
  readonly foregroundMl: number;
  /** Acceptance thresholds for this template (over DEFAULT_ACCEPTANCE). */
  readonly acceptance: Partial<AcceptanceCriteria>;
}

export interface PrepareTemplateOptions {
  readonly image: Volume;
  readonly name: string;
  /** 'ct' for a CT template, 'mr' for an MR one: picks the measured similarity thresholds. */
  readonly kind: TemplateKind;
  /** Level spacings, coarse to fine (default [8, 4, 2]). */
  readonly levelsMm?: readonly number[];
  /** Histogram bins (default 32). */
  readonly bins?: number;
  /** Overrides of the kind's thresholds. */
  readonly acceptance?: Partial<AcceptanceCriteria>;
}

export const DEFAULT_LEVELS_MM: readonly number[] = [8, 4, 2];
export const DEFAULT_BINS = 32;

/** Central-difference gradient in index space, turned into world space: g_w = mᵀ · g_index. */
export function interleaveWithGradient(values: Float32Array, geometry: Geometry): Float32Array {
  const [nx, ny, nz] = geometry.shape;
  const { m } = worldToIndexAffine(geometry);
  const out = new Float32Array(values.length * 4);
  const sy = nx;
  const sz = nx * ny;
  let v = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, v++) {
        const di =
          i === 0
            ? values[v + 1]! - values[v]!
            : i === nx - 1
              ? values[v]! - values[v - 1]!
              : (values[v + 1]! - values[v - 1]!) / 2;
        const dj =
          ny === 1
            ? 0
            : j === 0
              ? values[v + sy]! - values[v]!
              : j === ny - 1
                ? values[v]! - values[v - sy]!
                : (values[v + sy]! - values[v - sy]!) / 2;
        const dk =
          nz === 1
            ? 0
            : k === 0
              ? values[v + sz]! - values[v]!
              : k === nz - 1
                ? values[v]! - values[v - sz]!
                : (values[v + sz]! - values[v - sz]!) / 2;
        const o = 4 * v;
        out[o] = values[v]!;
        out[o + 1] = m[0] * di + m[3] * dj + m[6] * dk;
        out[o + 2] = m[1] * di + m[4] * dj + m[7] * dk;
        out[o + 3] = m[2] * di + m[5] * dj + m[8] * dk;
      }
  return out;
}

/** Centre of mass (LPS mm) and count of voxels with mapped value ≥ 1 (the foreground). */
export function foregroundCentre(
  mapped: Float32Array,
  geometry: Geometry,
): { centreMm: Vec3; count: number } {
  const [nx, ny, nz] = geometry.shape;
  let si = 0;
  let sj = 0;
  let sk = 0;
  let count = 0;
  let v = 0;
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i < nx; i++, v++)
        if (mapped[v]! >= 1) {
          si += i;
          sj += j;
          sk += k;
          count++;
        }
  if (count === 0) return { centreMm: indexToWorld(geometry, [nx / 2, ny / 2, nz / 2]), count };
  return { centreMm: indexToWorld(geometry, [si / count, sj / count, sk / count]), count };
}

export function prepareTemplate(options: PrepareTemplateOptions): PreparedTemplate {
  const levelsMm = options.levelsMm ?? DEFAULT_LEVELS_MM;
  const bins = options.bins ?? DEFAULT_BINS;
  const pyramid = buildPyramid(options.image, levelsMm);
  const finest = pyramid.reduce((a, b) => (b.levelMm < a.levelMm ? b : a));
  const intensityMap = fitIntensityMap(finest.volume.data, { bins });
  const levels = pyramid.map((l): TemplateLevel => {
    const mapped = mapIntensities(intensityMap, l.volume.data);
    return {
      levelMm: l.levelMm,
      geometry: l.volume.geometry,
      channels: interleaveWithGradient(mapped, l.volume.geometry),
      worldToIndex: worldToIndexAffine(l.volume.geometry),
    };
  });
  const fg = foregroundCentre(
    mapIntensities(intensityMap, finest.volume.data),
    finest.volume.geometry,
  );
  return {
    name: options.name,
    kind: options.kind,
    bins,
    levels,
    intensityMap,
    centreMm: fg.centreMm,
    foregroundMl: fg.count * voxelVolumeMl(finest.volume.geometry),
    acceptance: { ...ACCEPTANCE_BY_KIND[options.kind], ...options.acceptance },
  };
}
