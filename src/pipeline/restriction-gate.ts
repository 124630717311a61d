/**
 * The restriction check of infarct candidates: an acute infarct has restricted diffusion, so its
 * ADC is lower than the same scan's normal tissue; a candidate whose ADC is not (bright
 * cerebellum or cortex at high b, T2 shine-through, a susceptibility pile-up) is not an infarct,
 * however bright its DWI. The yardstick is the scan's own normal-tissue ADC: the median over the
 * brain (the brain mask when there is one) of voxels in the parenchymal range, so CSF and
 * background do not move it and every scanner, b-value and kurtosis bias is compared with
 * itself. A candidate is kept when the median ADC of its voxels is at most `maxRelativeAdc` ×
 * that yardstick. Small embolic infarcts are often only mildly restricted (0.6–0.9 of normal),
 * so the ratio is a measured trade-off (docs/models.md), not a textbook cut-off.
 */
import type { NativeMask } from './intracranial-mask.js';

/** ADC (mm²/s) of the voxels that count as parenchyma for the yardstick: not CSF, not air. */
export const PARENCHYMA_ADC_RANGE_MM2_PER_S = [0.0002, 0.0014] as const;

export interface RestrictionCheck {
  /** ADC on the labels' grid, mm²/s. */
  readonly adcMm2PerS: Float32Array;
  /** Keep a candidate when its median ADC ≤ this × the normal-tissue ADC. */
  readonly maxRelativeAdc: number;
}

/** The scan's normal-tissue ADC (mm²/s): median of parenchymal-range voxels, inside the mask. */
export function normalTissueAdc(adcMm2PerS: Float32Array, inside?: NativeMask): number {
  const [lo, hi] = PARENCHYMA_ADC_RANGE_MM2_PER_S;
  const values: number[] = [];
  const stride = Math.max(1, Math.floor(adcMm2PerS.length / 2_000_000));
  for (let v = 0; v < adcMm2PerS.length; v += stride) {
    const x = adcMm2PerS[v]!;
    if (x >= lo && x <= hi && (!inside || inside.contains(v))) values.push(x);
  }
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  return values[Math.floor((values.length - 1) / 2)]!;
}

/**
 * Median ADC relative to normal tissue of each component (index 1…count) of `componentLabels`,
 * over the components whose `wanted` flag is set (others: NaN).
 */
export function relativeAdcOfComponents(options: {
  readonly componentLabels: Int32Array;
  readonly voxels: Int32Array;
  readonly count: number;
  readonly wanted: Uint8Array;
  readonly adcMm2PerS: Float32Array;
  readonly normalAdcMm2PerS: number;
}): Float64Array {
  const { componentLabels, voxels, count, wanted, adcMm2PerS, normalAdcMm2PerS } = options;
  const values: number[][] = Array.from({ length: count + 1 }, () => []);
  for (const v of voxels) {
    const c = componentLabels[v]!;
    if (wanted[c]) values[c]!.push(adcMm2PerS[v]!);
  }
  const out = new Float64Array(count + 1).fill(Number.NaN);
  for (let c = 1; c <= count; c++) {
    const list = values[c]!;
    if (list.length === 0) continue;
    list.sort((a, b) => a - b);
    out[c] = list[Math.floor((list.length - 1) / 2)]! / normalAdcMm2PerS;
  }
  return out;
}
