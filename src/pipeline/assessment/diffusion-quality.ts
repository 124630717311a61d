/**
 * Image-based "can this DWI + ADC be read?" checks (issue 25): each returns a measured number
 * and, when it fails its limit, an `AssessmentReason`. Pure: images in, numbers and reasons out.
 *
 * Brain: DWI voxels above the DWI's own mean over the whole grid (background and CSF are darker
 * than parenchyma at b ≥ 1000), ∩ the brain mask when registration gave one; without the mask
 * every check still runs on that foreground. CSF: voxels (in the mask) whose ADC is that of free
 * water, 2.2–3.5 × 10⁻³ mm²/s (3.0 at 37 °C).
 *
 * Limits, with what the nine real normal or infarct series in ../shared/data measured (ISLES'22,
 * Canon ×4, Philips b1000 and b2000, Siemens XA30 b2500, UIH b928):
 *
 * - low-snr: brain median DWI / noise σ < 4. σ is from neighbouring-voxel differences inside
 *   the brain (MAD / √2), since 7 of the 9 scans have a zero-filled background where the Rician
 *   floor cannot be measured; anatomy adds to the differences, so this SNR is a lower bound.
 *   At SNR 4 an infarct 1.5× brighter than tissue is 2 σ per voxel, and the Rician floor
 *   (1.25 σ) is a third of the tissue signal. Measured 7.2–13.7.
 * - wrong-sequence: median brain ADC outside 0.5–1.3 × 10⁻³ mm²/s (grey 0.8–0.9, white 0.7;
 *   a map in other units or another map altogether: measured 0.67–0.86); or CSF not dark on the
 *   DWI: median DWI of CSF / median DWI of tissue (ADC 0.5–1.0 × 10⁻³) > 0.7. With b = 1000 the
 *   ratio is ≈ 2 e^{−3} / e^{−0.8} ≈ 0.2 (CSF has twice the T2 signal but diffuses 4× faster); a
 *   b0, T2 or low-b image gives ≈ 1–2. Measured 0.03–0.35. Skipped (NaN) with < 0.5 mL of CSF.
 * - motion: slices whose brain median DWI differs by more than 2× from each of both neighbours
 *   (slice drop-out, interleaved motion; slices with < 20 % of the largest slice's brain are
 *   skipped): any such slice fails (measured 0 on every scan; the worst real ratio was 1.39); or
 *   > 20 % of brain voxels with ADC ≤ 0 or > 4 × 10⁻³ (no tissue diffuses faster than free water;
 *   0 is a failed fit). Measured 0–0.54 %, except 7.9 % on the Philips b1000 subset, whose
 *   ADC is 0 over most of the brain in 8 slices near the vertex.
 * - metal (susceptibility voids) is not checked: it needs the b0. Tried on DWI + ADC alone (dark
 *   on the DWI, ADC not that of fluid, enclosed by brain), CSF itself looked like a void where its
 *   ADC is underestimated (b2500 noise floor: Siemens 16 mL) or 0 (Philips b1000 subset: 58 mL).
 */
import { voxelVolumeMl } from '../../core/geometry.js';
import type { Volume } from '../../core/volume.js';
import type { NativeMask } from '../intracranial-mask.js';
import type { AssessmentReason } from './assessment-reason.js';
import { mean, median, neighbourNoiseSigma } from './robust-stats.js';

export const DIFFUSION_LIMITS = {
  snr: 4,
  adcMm2PerS: [0.5e-3, 1.3e-3] as const,
  csfAdcMm2PerS: [2.2e-3, 3.5e-3] as const,
  tissueAdcMm2PerS: [0.5e-3, 1.0e-3] as const,
  csfToTissue: 0.7,
  minCsfMl: 0.5,
  sliceRatio: 2,
  minSliceShare: 0.2,
  maxJumpSlices: 0,
  implausibleAdcMaxMm2PerS: 4e-3,
  implausibleAdcPercent: 20,
} as const;

export interface DiffusionImageMeasures {
  readonly brainMl: number;
  readonly brainMedianDwi: number;
  readonly noiseSigma: number;
  readonly snr: number;
  /** Median brain ADC, 10⁻³ mm²/s. */
  readonly medianAdc1e3: number;
  readonly csfMl: number;
  /** Median DWI of CSF / of tissue; NaN when too little CSF. */
  readonly csfToTissue: number;
  readonly jumpSlices: number;
  /** Worst slice-to-neighbours ratio (≥ 1). */
  readonly worstSliceRatio: number;
  readonly implausibleAdcPercent: number;
}

export interface DiffusionImageAssessment {
  readonly measures: DiffusionImageMeasures;
  readonly reasons: AssessmentReason[];
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Slices whose brain signal disagrees > `sliceRatio` with both neighbours, and the worst ratio.
 * Each slice k is compared with k − 1 and k + 1 on the same in-plane voxels: those that are brain
 * in both neighbours (so a dropped slice, dark everywhere, is still compared where brain should
 * be); slices where that region holds < 20 % of the largest slice's brain are skipped.
 */
function sliceJumps(data: ArrayLike<number>, brain: Uint8Array, shape: readonly number[]) {
  const L = DIFFUSION_LIMITS;
  const [nx, ny, nz] = shape as [number, number, number];
  const plane = nx * ny;
  let most = 0;
  for (let k = 0; k < nz; k++) {
    let count = 0;
    for (let p = 0; p < plane; p++) count += brain[k * plane + p]!;
    most = Math.max(most, count);
  }
  let jumps = 0;
  let worst = 1;
  for (let k = 1; k + 1 < nz; k++) {
    const [below, here, above]: number[][] = [[], [], []];
    for (let p = 0; p < plane; p++) {
      const v = k * plane + p;
      if (!brain[v - plane] || !brain[v + plane]) continue;
      below!.push(data[v - plane]!);
      here!.push(data[v]!);
      above!.push(data[v + plane]!);
    }
    if (here!.length < L.minSliceShare * most) continue;
    const b = median(here!);
    const logRatio = Math.min(
      Math.abs(Math.log(b / median(below!))),
      Math.abs(Math.log(b / median(above!))),
    );
    const ratio = Number.isFinite(logRatio) ? Math.exp(logRatio) : Infinity;
    worst = Math.max(worst, ratio);
    if (ratio > L.sliceRatio) jumps++;
  }
  return { jumps, worst };
}

/** Measures a DWI (b ≥ 1000 trace) and its ADC (mm²/s) on one grid; lists failed checks. */
export function assessDiffusionImages(options: {
  dwi: Volume;
  adc: Volume;
  inside?: NativeMask;
}): DiffusionImageAssessment {
  const { dwi, adc, inside } = options;
  const L = DIFFUSION_LIMITS;
  const { shape } = dwi.geometry;
  const voxelMl = voxelVolumeMl(dwi.geometry);
  const threshold = mean(dwi.data);
  const inMask = (v: number): boolean => !inside || inside.contains(v);
  const brain = new Uint8Array(dwi.data.length);
  const brainDwi: number[] = [];
  const brainAdc: number[] = [];
  const csf: number[] = [];
  const tissue: number[] = [];
  let implausible = 0;
  for (let v = 0; v < dwi.data.length; v++) {
    if (!inMask(v)) continue;
    const s = dwi.data[v]!;
    const a = adc.data[v]!;
    if (a > L.csfAdcMm2PerS[0] && a < L.csfAdcMm2PerS[1] && s > 0) csf.push(s);
    if (!(s > threshold)) continue;
    brain[v] = 1;
    brainDwi.push(s);
    brainAdc.push(a);
    if (a > L.tissueAdcMm2PerS[0] && a < L.tissueAdcMm2PerS[1]) tissue.push(s);
    if (!(a > 0) || a > L.implausibleAdcMaxMm2PerS) implausible++;
  }
  const signal = median(brainDwi);
  const noise = neighbourNoiseSigma({ data: dwi.data, shape, within: (v) => brain[v] === 1 });
  const csfMl = csf.length * voxelMl;
  const jumps = sliceJumps(dwi.data, brain, shape);
  const measures: DiffusionImageMeasures = {
    brainMl: round(brainDwi.length * voxelMl, 0),
    brainMedianDwi: round(signal, 1),
    noiseSigma: round(noise, 2),
    snr: round(noise > 0 ? signal / noise : signal > 0 ? Infinity : 0, 1),
    medianAdc1e3: round(median(brainAdc) * 1e3, 3),
    csfMl: round(csfMl, 1),
    csfToTissue: csfMl >= L.minCsfMl ? round(median(csf) / median(tissue), 2) : NaN,
    jumpSlices: jumps.jumps,
    worstSliceRatio: round(jumps.worst, 2),
    implausibleAdcPercent: round(brainDwi.length ? (100 * implausible) / brainDwi.length : 0),
  };
  return { measures, reasons: diffusionReasons(measures) };
}

function diffusionReasons(m: DiffusionImageMeasures): AssessmentReason[] {
  const L = DIFFUSION_LIMITS;
  const reasons: AssessmentReason[] = [];
  const add = (r: AssessmentReason): void => void reasons.push(r);
  if (m.brainMl === 0 || !(m.snr >= L.snr))
    add({
      code: 'low-snr',
      message: `brain SNR ${m.snr} is below ${L.snr}: noise hides restricted diffusion`,
      measured: m.snr,
      limit: L.snr,
    });
  const [lo, hi] = L.adcMm2PerS.map((x) => x * 1e3) as [number, number];
  const adcPlausible = m.medianAdc1e3 >= lo && m.medianAdc1e3 <= hi;
  if (!adcPlausible)
    add({
      code: 'wrong-sequence',
      message: `median brain ADC ${m.medianAdc1e3} × 10⁻³ mm²/s is outside ${lo}–${hi}: not an ADC map of brain (wrong map or units)`,
      measured: m.medianAdc1e3,
      limit: m.medianAdc1e3 < lo ? lo : hi,
    });
  if (m.csfToTissue > L.csfToTissue)
    add({
      code: 'wrong-sequence',
      message: `CSF is ${m.csfToTissue}× as bright as tissue on the DWI (limit ${L.csfToTissue}): not a b ≥ 1000 diffusion-weighted image (a b0, T2 or FLAIR?)`,
      measured: m.csfToTissue,
      limit: L.csfToTissue,
    });
  if (m.jumpSlices > L.maxJumpSlices)
    add({
      code: 'motion',
      message: `${m.jumpSlices} slice(s) differ more than ${L.sliceRatio}× in brain signal from both neighbours (worst ${m.worstSliceRatio}×): slice drop-out or motion`,
      measured: m.jumpSlices,
      limit: L.maxJumpSlices,
    });
  // A wrong map (reported above) is not also a failed fit.
  if (adcPlausible && m.implausibleAdcPercent > L.implausibleAdcPercent)
    add({
      code: 'motion',
      message: `${m.implausibleAdcPercent} % of brain voxels have an ADC ≤ 0 or > 4 × 10⁻³ mm²/s (limit ${L.implausibleAdcPercent} %): the ADC fit failed (motion between b-values, artefact)`,
      measured: m.implausibleAdcPercent,
      limit: L.implausibleAdcPercent,
    });
  return reasons;
}
