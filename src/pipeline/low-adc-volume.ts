/**
 * A model-free yardstick for an infarct's size: the volume of brain with ADC below a threshold
 * (620 × 10⁻⁶ mm²/s is the usual "ischaemic core" cut-off, e.g. RAPID). "Brain" is the
 * template's brain mask without the lobe atlas's ventricles, mapped into the patient by the
 * registration, so skull, air and ventricles do not count. Reported as the total and as its largest 26-connected
 * component (scattered low-ADC voxels from noise and partial volume fall outside the latter).
 * Pure.
 */
import { connectedComponents } from '../core/connected-components.js';
import { indexToWorldMatrix, voxelVolumeMl } from '../core/geometry.js';
import type { Mat4 } from '../core/vec.js';
import type { Volume } from '../core/volume.js';
import { type AtlasLike, atlasLookup } from './localise-lesions.js';

export interface LowAdcVolume {
  readonly thresholdMm2PerS: number;
  readonly volumeMl: number;
  readonly largestComponentMl: number;
  readonly brainMl: number;
}

export function lowAdcVolume(options: {
  /** ADC in mm²/s (normaliseAdc), native grid. */
  readonly adc: Volume;
  readonly patientToTemplate: Mat4;
  readonly lobes: AtlasLike;
  /** Brain mask on the template (> 0 inside), e.g. the atlas's ct_template_mask. */
  readonly brainMask: Volume;
  /** Default 620 × 10⁻⁶ mm²/s. */
  readonly thresholdMm2PerS?: number;
  /** Label of the ventricles in the lobe atlas (not brain tissue); default 31. */
  readonly ventricleLabel?: number;
}): LowAdcVolume {
  const threshold = options.thresholdMm2PerS ?? 620e-6;
  const ventricles = options.ventricleLabel ?? 31;
  const g = options.adc.geometry;
  const [nx, ny] = g.shape;
  const m = indexToWorldMatrix(g);
  const a = options.patientToTemplate;
  const lobeAt = atlasLookup(options.lobes);
  const maskAt = atlasLookup({ map: options.brainMask, names: new Map() });
  const low = new Uint8Array(options.adc.data.length);
  let brain = 0;
  const p = [0, 0, 0];
  for (let v = 0; v < low.length; v++) {
    const i = v % nx;
    const j = Math.floor(v / nx) % ny;
    const k = Math.floor(v / (nx * ny));
    const w = [0, 1, 2].map(
      (c) => m[4 * c]! * i + m[4 * c + 1]! * j + m[4 * c + 2]! * k + m[4 * c + 3]!,
    );
    for (let r = 0; r < 3; r++)
      p[r] = a[4 * r]! * w[0]! + a[4 * r + 1]! * w[1]! + a[4 * r + 2]! * w[2]! + a[4 * r + 3]!;
    if (maskAt(p) === 0 || lobeAt(p) === ventricles) continue;
    brain++;
    const adc = options.adc.data[v]!;
    // ADC 0 is no signal (outside the head or masked by the scanner), not infarct.
    if (adc > 0 && adc < threshold) low[v] = 1;
  }
  const cc = connectedComponents(low, g.shape, { connectivity: 26 });
  let total = 0;
  let largest = 0;
  for (let c = 1; c <= cc.count; c++) {
    total += cc.sizes[c]!;
    largest = Math.max(largest, cc.sizes[c]!);
  }
  const ml = voxelVolumeMl(g);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    thresholdMm2PerS: threshold,
    volumeMl: round(total * ml),
    largestComponentMl: round(largest * ml),
    brainMl: round(brain * ml),
  };
}
