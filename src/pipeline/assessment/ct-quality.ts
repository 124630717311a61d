/**
 * Image-based "can this head CT be read?" checks (issue 25): each returns a measured number and,
 * when it fails its limit, an `AssessmentReason`. DICOM tags (contrast agent, body part) are
 * checked elsewhere; these look at the voxels. Pure: HU in, numbers and reasons out.
 *
 * Regions come from `ctHeadRegions`: the skull-enclosed intracranial region per slice (∩ the
 * brain mask when registration gave one; without it the skull ring alone bounds it, so every
 * check still runs) and its part ≥ 10 mm from bone ("deep").
 *
 * Limits (each with the value measured on the real GE head CT, 0.49 × 0.49 × 4 mm, 18.5° tilt):
 *
 * - contrast-enhanced: deep intracranial 130–400 HU volume > 2 mL. Non-contrast brain has only
 *   small calcifications there (pineal, choroid plexus: measured 0.38 mL); iodinated contrast
 *   raises blood to 150–300 HU, lighting the deep veins (internal cerebral veins, vein of Galen,
 *   straight sinus), the choroid plexus and the circle of Willis and sylvian arteries.
 * - metal: > 0.02 mL (≈ 20 voxels of 1 mm³) at ≥ 3000 HU in the head's cranial slices. Dense
 *   bone stays below ~2500 HU at 120 kVp (measured max 2120); titanium, steel and platinum reach
 *   the scanner's ceiling (3071) and cast streaks far larger than themselves.
 * - low-contrast: median HU of the deep intracranial region outside 15–50 (grey matter ~35–45,
 *   white ~25–30, CSF 0–15: measured 26.8); or in-plane noise σ > 25 HU (acute blood is 30–50 HU
 *   above brain; at σ > 25 a haematoma voxel is within about one σ of brain: measured 1.7).
 *   No intracranial soft tissue at all (an uncalibrated image) also fails here.
 * - motion: the enclosed region's centroid jumping > 5 mm from the mean of its two neighbouring
 *   slices (anatomy does not move that far between slices: measured max 1.7 mm), or
 *   dark streaks (< −50 HU) in > 1 % of the deep intracranial region (air is not there in a
 *   normal brain: measured 0 %).
 * - wrong-body-part: no slice whose skull ring encloses ≥ 40 cm² (an adult skull encloses
 *   120–220 cm² at the ventricles: measured max 188), or a median body width > 300 mm (an adult
 *   head is ≤ ~200 mm wide even with the head holder: measured 197; chest and abdomen are wider).
 */
import { voxelVolumeMl } from '../../core/geometry.js';
import type { Volume } from '../../core/volume.js';
import type { NativeMask } from '../intracranial-mask.js';
import type { AssessmentReason } from './assessment-reason.js';
import { type SliceOutline, ctHeadRegions } from './ct-head-regions.js';
import { median, neighbourNoiseSigma } from './robust-stats.js';

export const CT_LIMITS = {
  enhancingMl: 2,
  metalHu: 3000,
  metalMl: 0.02,
  brainHu: [15, 50] as const,
  noiseHu: 25,
  centroidJumpMm: 5,
  darkStreakHu: -50,
  darkStreakPercent: 1,
  minEnclosedCm2: 40,
  maxBodyWidthMm: 300,
  enhancingHu: [130, 400] as const,
} as const;

export interface CtImageMeasures {
  /** Skull-enclosed (and in-mask) volume, mL. */
  readonly intracranialMl: number;
  /** Of it, ≥ 10 mm from bone, mL. */
  readonly deepMl: number;
  readonly brainMedianHu: number;
  readonly noiseHu: number;
  readonly enhancingMl: number;
  readonly metalMl: number;
  readonly maxHu: number;
  readonly darkStreakPercent: number;
  readonly centroidJumpMm: number;
  readonly maxEnclosedCm2: number;
  readonly bodyWidthMm: number;
}

export interface CtImageAssessment {
  readonly measures: CtImageMeasures;
  readonly reasons: AssessmentReason[];
}

const round = (x: number, d = 2): number => Math.round(x * 10 ** d) / 10 ** d;

/** Largest |c_k − (c_{k−1} + c_{k+1}) / 2| over runs of three slices that each enclose ≥ 40 cm². */
function centroidJumpMm(slices: readonly SliceOutline[]): number {
  let worst = 0;
  for (let k = 1; k + 1 < slices.length; k++) {
    const [a, b, c] = [slices[k - 1]!, slices[k]!, slices[k + 1]!];
    if ([a, b, c].some((s) => s.enclosedCm2 < CT_LIMITS.minEnclosedCm2)) continue;
    const dx = b.centroidMm[0] - (a.centroidMm[0] + c.centroidMm[0]) / 2;
    const dy = b.centroidMm[1] - (a.centroidMm[1] + c.centroidMm[1]) / 2;
    worst = Math.max(worst, Math.hypot(dx, dy));
  }
  return worst;
}

/** In-plane spacing the checks run at: finer CTs are sampled every k-th voxel (speed). */
const CHECK_SPACING_MM = 1;

/**
 * Measures a head CT (HU, native grid) and lists the checks it fails. A CT finer than ~0.7 mm
 * in-plane is checked on every k-th voxel (k = round(1 mm / spacing)) in-plane (all slices kept); metal and the maximum HU,
 * which a sample could miss, are counted on every voxel.
 */
export function assessCtImage(options: { ct: Volume; inside?: NativeMask }): CtImageAssessment {
  const { ct, inside } = options;
  const step = Math.max(
    1,
    Math.round(CHECK_SPACING_MM / Math.max(ct.geometry.spacingMm[0], ct.geometry.spacingMm[1])),
  );
  if (step === 1) return measureCt(ct, inside);
  const sampled = sampleInPlane(ct, step);
  const [nx, ny] = ct.geometry.shape;
  const [sx, sy] = sampled.geometry.shape;
  const nativeIndex = (v: number): number => {
    const x = v % sx;
    const y = Math.floor(v / sx) % sy;
    const z = Math.floor(v / (sx * sy));
    return x * step + nx * (y * step + ny * z);
  };
  const sampledInside: NativeMask | undefined = inside && {
    contains: (v) => inside.contains(nativeIndex(v)),
    box: null,
  };
  const coarse = measureCt(sampled, sampledInside);
  // Metal and the maximum on every voxel, in the slices the sample found cranial (or the mask).
  const plane = nx * ny;
  const cranialSlice = new Set(coarse.cranialSlices);
  let metal = 0;
  let maxHu = -Infinity;
  for (let v = 0; v < ct.data.length; v++) {
    const hu = ct.data[v]!;
    if (hu > maxHu) maxHu = hu;
    if (
      hu >= CT_LIMITS.metalHu &&
      (inside ? inside.contains(v) : cranialSlice.has(Math.floor(v / plane)))
    )
      metal++;
  }
  const measures: CtImageMeasures = {
    ...coarse.measures,
    metalMl: round(metal * voxelVolumeMl(ct.geometry), 3),
    maxHu: round(maxHu, 0),
  };
  return { measures, reasons: ctReasons(measures) };
}

/** Every `step`-th voxel along x and y (nearest; geometry spacing scaled, origin kept). */
function sampleInPlane(ct: Volume, step: number): Volume {
  const [nx, ny, nz] = ct.geometry.shape;
  const sx = Math.ceil(nx / step);
  const sy = Math.ceil(ny / step);
  const data = new Float32Array(sx * sy * nz);
  let o = 0;
  for (let z = 0; z < nz; z++)
    for (let y = 0; y < sy; y++)
      for (let x = 0; x < sx; x++) data[o++] = ct.data[x * step + nx * (y * step + ny * z)]!;
  const [px, py, pz] = ct.geometry.spacingMm;
  return {
    ...ct,
    geometry: { ...ct.geometry, shape: [sx, sy, nz], spacingMm: [px * step, py * step, pz] },
    data,
  };
}

function measureCt(
  ct: Volume,
  inside: NativeMask | undefined,
): CtImageAssessment & { cranialSlices: number[] } {
  const { shape } = ct.geometry;
  const voxelMl = voxelVolumeMl(ct.geometry);
  const { intracranial, deep, slices } = ctHeadRegions({ ct, ...(inside && { inside }) });
  const plane = shape[0] * shape[1];
  const cranial = slices.map((s) => s.enclosedCm2 >= CT_LIMITS.minEnclosedCm2);
  let intracranialCount = 0;
  let enhancing = 0;
  let dark = 0;
  let metal = 0;
  let maxHu = -Infinity;
  const deepHu: number[] = [];
  for (let v = 0; v < ct.data.length; v++) {
    const hu = ct.data[v]!;
    if (hu > maxHu) maxHu = hu;
    if (hu >= CT_LIMITS.metalHu && (inside ? inside.contains(v) : cranial[Math.floor(v / plane)]))
      metal++;
    if (intracranial[v]) intracranialCount++;
    if (!deep[v]) continue;
    deepHu.push(hu);
    if (hu >= CT_LIMITS.enhancingHu[0] && hu <= CT_LIMITS.enhancingHu[1]) enhancing++;
    if (hu < CT_LIMITS.darkStreakHu) dark++;
  }
  const softDeep = (v: number): boolean => deep[v] === 1 && ct.data[v]! > -100 && ct.data[v]! < 200;
  const widths = slices.filter((s) => s.bodyWidthMm > 0).map((s) => s.bodyWidthMm);
  const measures: CtImageMeasures = {
    intracranialMl: round(intracranialCount * voxelMl, 1),
    deepMl: round(deepHu.length * voxelMl, 1),
    brainMedianHu: round(median(deepHu.filter((h) => h > -100 && h < 200)), 1),
    noiseHu: round(neighbourNoiseSigma({ data: ct.data, shape, within: softDeep })),
    enhancingMl: round(enhancing * voxelMl, 3),
    metalMl: round(metal * voxelMl, 3),
    maxHu: round(maxHu, 0),
    darkStreakPercent: round(deepHu.length ? (100 * dark) / deepHu.length : 0, 3),
    centroidJumpMm: round(centroidJumpMm(slices)),
    maxEnclosedCm2: round(Math.max(0, ...slices.map((s) => s.enclosedCm2)), 1),
    bodyWidthMm: round(widths.length ? median(widths) : 0, 0),
  };
  const cranialSlices = cranial.flatMap((c, k) => (c ? [k] : []));
  return { measures, reasons: ctReasons(measures), cranialSlices };
}

function ctReasons(m: CtImageMeasures): AssessmentReason[] {
  const L = CT_LIMITS;
  const reasons: AssessmentReason[] = [];
  const add = (r: AssessmentReason): void => void reasons.push(r);
  if (m.maxEnclosedCm2 < L.minEnclosedCm2)
    add({
      code: 'wrong-body-part',
      message: `no slice shows a skull ring enclosing ${L.minEnclosedCm2} cm² (largest ${m.maxEnclosedCm2} cm²): not a head CT, or the skull is not covered`,
      measured: m.maxEnclosedCm2,
      limit: L.minEnclosedCm2,
    });
  if (m.bodyWidthMm > L.maxBodyWidthMm)
    add({
      code: 'wrong-body-part',
      message: `the body is ${m.bodyWidthMm} mm wide (median over slices), wider than a head (limit ${L.maxBodyWidthMm} mm)`,
      measured: m.bodyWidthMm,
      limit: L.maxBodyWidthMm,
    });
  if (m.enhancingMl > L.enhancingMl)
    add({
      code: 'contrast-enhanced',
      message: `${m.enhancingMl} mL of 130–400 HU tissue lies deep in the brain, away from bone (limit ${L.enhancingMl} mL): intravascular contrast, which mimics blood`,
      measured: m.enhancingMl,
      limit: L.enhancingMl,
    });
  if (m.metalMl > L.metalMl)
    add({
      code: 'metal',
      message: `${m.metalMl} mL at ≥ ${L.metalHu} HU in the head (limit ${L.metalMl} mL): metal, whose streaks hide or mimic blood`,
      measured: m.metalMl,
      limit: L.metalMl,
    });
  if (!Number.isFinite(m.brainMedianHu))
    add({
      code: 'low-contrast',
      message:
        'no intracranial soft tissue between −100 and 200 HU inside a skull ring: the image is not in calibrated HU',
    });
  else if (m.brainMedianHu < L.brainHu[0] || m.brainMedianHu > L.brainHu[1])
    add({
      code: 'low-contrast',
      message: `brain median ${m.brainMedianHu} HU is outside ${L.brainHu[0]}–${L.brainHu[1]} HU: not calibrated brain parenchyma`,
      measured: m.brainMedianHu,
      limit: m.brainMedianHu < L.brainHu[0] ? L.brainHu[0] : L.brainHu[1],
    });
  if (m.noiseHu > L.noiseHu)
    add({
      code: 'low-contrast',
      message: `brain noise σ ${m.noiseHu} HU is above ${L.noiseHu} HU: blood would not stand out from brain`,
      measured: m.noiseHu,
      limit: L.noiseHu,
    });
  if (m.centroidJumpMm > L.centroidJumpMm)
    add({
      code: 'motion',
      message: `the skull outline jumps ${m.centroidJumpMm} mm between neighbouring slices (limit ${L.centroidJumpMm} mm): the head moved`,
      measured: m.centroidJumpMm,
      limit: L.centroidJumpMm,
    });
  if (m.darkStreakPercent > L.darkStreakPercent)
    add({
      code: 'motion',
      message: `${m.darkStreakPercent} % of deep brain is below ${L.darkStreakHu} HU (limit ${L.darkStreakPercent} %): streak artefact`,
      measured: m.darkStreakPercent,
      limit: L.darkStreakPercent,
    });
  return reasons;
}
