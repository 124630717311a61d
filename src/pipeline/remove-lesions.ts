/**
 * The lesions a segmentation keeps: connected components (26-connected) big enough, mostly
 * inside the brain mask, and (infarct, when asked) restricted against the scan's own normal
 * tissue (restriction-gate.ts). The triage score is the highest probability outside the removed
 * ones. Used by segment-study.ts.
 */
import { connectedComponents } from '../core/connected-components.js';
import { type Geometry, voxelVolumeMl } from '../core/geometry.js';
import type { NativeMask } from './intracranial-mask.js';
import { type RestrictionCheck, relativeAdcOfComponents } from './restriction-gate.js';

/**
 * Zeroes lesions (26-connected components of label > 0) smaller than `minLesionMl` in place, and
 * where an `inside` mask is given, lesions with less than half of their voxels inside it;
 * returns the count and sizes of those kept and the highest probability outside removed ones
 * (and inside the mask).
 */
export function removeSmallLesions(options: {
  labels: Uint8Array;
  probability: Float32Array;
  geometry: Geometry;
  minLesionMl: number;
  inside?: NativeMask;
  /** Remove lesions whose median ADC is over maxRelativeAdc × normalAdcMm2PerS. */
  restriction?: RestrictionCheck & { normalAdcMm2PerS: number };
}): {
  lesionCount: number;
  removed: number;
  removedOutside: number;
  removedUnrestricted: number;
  largestVoxels: number;
  totalVoxels: number;
  score: number;
} {
  const { labels, probability, geometry, inside } = options;
  const components = connectedComponents(labels, geometry.shape, { connectivity: 26 });
  const minVoxels = options.minLesionMl / voxelVolumeMl(geometry);
  const insideCounts = new Float64Array(components.count + 1);
  if (inside)
    for (const v of components.voxels)
      if (inside.contains(v)) insideCounts[components.labels[v]!]!++;
  const keep = new Uint8Array(components.count + 1);
  let lesionCount = 0;
  let largestVoxels = 0;
  let totalVoxels = 0;
  let removedOutside = 0;
  let removedUnrestricted = 0;
  for (let c = 1; c <= components.count; c++) {
    const size = components.sizes[c]!;
    if (size < minVoxels) continue;
    if (inside && insideCounts[c]! < size / 2) {
      removedOutside++;
      continue;
    }
    keep[c] = 1;
  }
  const check = options.restriction;
  const relativeAdc = check
    ? relativeAdcOfComponents({
        componentLabels: components.labels,
        voxels: components.voxels,
        count: components.count,
        wanted: keep,
        adcMm2PerS: check.adcMm2PerS,
        normalAdcMm2PerS: check.normalAdcMm2PerS,
      })
    : undefined;
  for (let c = 1; c <= components.count; c++) {
    if (!keep[c]) continue;
    // NaN (no yardstick) keeps the lesion: the check only removes what it can measure.
    if (check && relativeAdc && relativeAdc[c]! > check.maxRelativeAdc) {
      keep[c] = 0;
      removedUnrestricted++;
      continue;
    }
    const size = components.sizes[c]!;
    lesionCount++;
    totalVoxels += size;
    largestVoxels = Math.max(largestVoxels, size);
  }
  let score = 0;
  // Ascending, like `voxels`: the score loop steps through it instead of reading
  // `components.labels` everywhere.
  const removedVoxels = components.voxels.filter((v) => !keep[components.labels[v]!]);
  for (const v of removedVoxels) labels[v] = 0;
  let r = 0;
  for (let v = 0; v < labels.length; v++) {
    if (removedVoxels[r] === v) {
      r++;
      continue;
    }
    const p = probability[v]!;
    if (p > score && (!inside || inside.contains(v))) score = p;
  }
  return {
    lesionCount,
    removed: components.count - lesionCount - removedOutside - removedUnrestricted,
    removedOutside,
    removedUnrestricted,
    largestVoxels,
    totalVoxels,
    score,
  };
}
