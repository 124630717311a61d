/**
 * The patient side of registration: a pyramid of the scan in its own grid, intensities mapped
 * to bins by the same rule as the template, and per level a set of sample points — voxel
 * centres of the foreground dilated by a margin (so that the head or brain outline is inside
 * the set), about `maxSamples` of them (each kept with the same probability, seeded). The patient is the side that is
 * sampled because a scan often covers only part of the head (the ISLES DWI spans 120 mm):
 * every patient sample has a template position, never the reverse. Pure.
 */
import { type Geometry, indexToWorldMatrix, voxelVolumeMl } from '../core/geometry.js';
import { createRng } from '../core/random.js';
import type { Vec3 } from '../core/vec.js';
import type { Volume } from '../core/volume.js';
import { type IntensityMap, fitIntensityMap, mapIntensities } from './intensity-map.js';
import { buildPyramid } from './pyramid.js';
import { foregroundCentre } from './template-image.js';

export interface PatientLevel {
  readonly levelMm: number;
  readonly geometry: Geometry;
  /** Sample positions in LPS mm relative to the patient centre, 3 per sample. */
  readonly positions: Float32Array;
  readonly fixedBins: Uint8Array;
  readonly fixedValues: Float32Array;
  /** Root mean square distance of the samples from the centre, mm. */
  readonly radiusMm: number;
}

export interface PreparedPatient {
  readonly levels: readonly PatientLevel[];
  readonly intensityMap: IntensityMap;
  readonly centreMm: Vec3;
  readonly foregroundMl: number;
  /** Mapped image of the finest level (bin coordinates), for overlap checks. */
  readonly finest: { readonly geometry: Geometry; readonly mapped: Float32Array };
}

export interface PreparePatientOptions {
  readonly image: Volume;
  readonly levelsMm: readonly number[];
  readonly bins: number;
  /** Samples per level at most (default 30 000). */
  readonly maxSamples?: number;
  /** Dilation of the foreground that is sampled, mm (default 10). */
  readonly marginMm?: number;
  readonly seed?: number;
}

/** Box dilation of a binary mask by r voxels per axis (separable running maximum). */
export function dilateMask(mask: Uint8Array, shape: Vec3, radius: Vec3): Uint8Array {
  let cur = mask;
  const strides = [1, shape[0], shape[0] * shape[1]] as const;
  for (let axis = 0; axis < 3; axis++) {
    const r = radius[axis]!;
    if (r <= 0) continue;
    const n = shape[axis]!;
    const stride = strides[axis]!;
    const next = new Uint8Array(cur.length);
    const lines = cur.length / n;
    for (let line = 0; line < lines; line++) {
      // first index of this line: decompose `line` over the other two axes
      const base =
        axis === 0
          ? line * n
          : axis === 1
            ? (line % shape[0]) + Math.floor(line / shape[0]) * shape[0] * shape[1]
            : line;
      // forward pass: distance to the previous set voxel; backward: to the next one
      let prev = -Infinity;
      for (let i = 0; i < n; i++) {
        if (cur[base + i * stride]) prev = i;
        if (i - prev <= r) next[base + i * stride] = 1;
      }
      let after = Infinity;
      for (let i = n - 1; i >= 0; i--) {
        if (cur[base + i * stride]) after = i;
        if (after - i <= r) next[base + i * stride] = 1;
      }
    }
    cur = next;
  }
  return cur;
}

export function preparePatient(options: PreparePatientOptions): PreparedPatient {
  const { levelsMm, bins } = options;
  const maxSamples = options.maxSamples ?? 30_000;
  const marginMm = options.marginMm ?? 10;
  const pyramid = buildPyramid(options.image, levelsMm);
  const finestLevel = pyramid.reduce((a, b) => (b.levelMm < a.levelMm ? b : a));
  const intensityMap = fitIntensityMap(finestLevel.volume.data, { bins });
  const finestMapped = mapIntensities(intensityMap, finestLevel.volume.data);
  const fg = foregroundCentre(finestMapped, finestLevel.volume.geometry);
  const centre = fg.centreMm;
  const rng = createRng(options.seed ?? 1);
  const levels = pyramid.map((level): PatientLevel => {
    const g = level.volume.geometry;
    const mapped =
      level === finestLevel ? finestMapped : mapIntensities(intensityMap, level.volume.data);
    const fgMask = new Uint8Array(mapped.length);
    for (let v = 0; v < mapped.length; v++) fgMask[v] = mapped[v]! >= 1 ? 1 : 0;
    const radius = g.spacingMm.map((s) => Math.round(marginMm / s)) as unknown as Vec3;
    const mask = dilateMask(fgMask, g.shape, radius);
    let inMask = 0;
    for (let v = 0; v < mask.length; v++) inMask += mask[v]!;
    // Each voxel of the mask is kept with probability maxSamples / inMask (seeded), in memory
    // order; no list of all candidates is built.
    const keep = Math.min(1, maxSamples / Math.max(1, inMask));
    const chosen = new Int32Array(Math.min(inMask, Math.ceil(maxSamples * 1.1) + 64));
    let take = 0;
    // Gaps between kept voxels are geometric: one random draw per kept voxel, not per voxel.
    const logSkip = keep < 1 ? Math.log(1 - keep) : 0;
    const gap = () => (keep < 1 ? Math.floor(Math.log(1 - rng.next()) / logSkip) : 0);
    let skip = gap();
    for (let v = 0; v < mask.length && take < chosen.length; v++) {
      if (!mask[v]) continue;
      if (skip > 0) {
        skip--;
        continue;
      }
      chosen[take++] = v;
      skip = gap();
    }
    const m = indexToWorldMatrix(g);
    const [nx, ny] = g.shape;
    const positions = new Float32Array(3 * take);
    const fixedBins = new Uint8Array(take);
    const fixedValues = new Float32Array(take);
    let r2 = 0;
    for (let s = 0; s < take; s++) {
      const v = chosen[s]!;
      const i = v % nx;
      const j = Math.floor(v / nx) % ny;
      const k = Math.floor(v / (nx * ny));
      for (let a = 0; a < 3; a++) {
        const w =
          m[4 * a]! * i + m[4 * a + 1]! * j + m[4 * a + 2]! * k + m[4 * a + 3]! - centre[a]!;
        positions[3 * s + a] = w;
        r2 += w * w;
      }
      fixedValues[s] = mapped[v]!;
      fixedBins[s] = Math.min(bins - 1, Math.floor(mapped[v]!));
    }
    return {
      levelMm: level.levelMm,
      geometry: g,
      positions,
      fixedBins,
      fixedValues,
      radiusMm: take > 0 ? Math.sqrt(r2 / take) : 1,
    };
  });
  return {
    levels,
    intensityMap,
    centreMm: centre,
    foregroundMl: fg.count * voxelVolumeMl(finestLevel.volume.geometry),
    finest: { geometry: finestLevel.volume.geometry, mapped: finestMapped },
  };
}
