/**
 * How good is a registration, and should it be trusted? Measured on the finest level:
 * - the similarity (Mattes MI in nats, or NCC) and a normalised score in [0, 1]: for MI the
 *   symmetric uncertainty 2·MI / (H_patient + H_template), for NCC max(0, NCC);
 * - overlap of foregrounds both ways: the share of the patient's foreground samples that land
 *   on the template's foreground, and the share of the template's foreground inside the
 *   patient's field of view that lands on the patient's foreground;
 * - the share of patient samples that land inside the template grid;
 * - plausibility of the affine: principal stretches, anisotropy, rotation, no mirror.
 * A registration is accepted only when every check passes; the first failing check is the
 * reason given. Pure.
 */
import { type Geometry, worldToIndexAffine } from '../core/geometry.js';
import type { Mat4 } from '../core/vec.js';
import type { AcceptanceCriteria } from './acceptance-criteria.js';
import type { LinearDescription } from './affine-params.js';
import type { SampleBuffers } from './template-sampler.js';

export interface Overlap {
  /** Share of the patient's foreground samples on the template's foreground. */
  readonly patientInTemplate: number;
  /** Share of the template's foreground (inside the patient's field of view) on the patient's. */
  readonly templateInPatient: number;
  /** Share of the template's foreground that lies inside the patient's field of view. */
  readonly templateInFieldOfView: number;
}

/** Patient-side overlap from the finest level's samples and their template values. */
export function patientInTemplate(
  fixedValues: Float32Array,
  sampled: SampleBuffers,
): { overlap: number; inside: number } {
  let fg = 0;
  let hit = 0;
  let inside = 0;
  for (let s = 0; s < fixedValues.length; s++) {
    if (sampled.valid[s]) inside++;
    if (fixedValues[s]! < 1) continue;
    fg++;
    if (sampled.valid[s] && sampled.values[s]! >= 1) hit++;
  }
  return {
    overlap: fg > 0 ? hit / fg : 0,
    inside: fixedValues.length > 0 ? inside / fixedValues.length : 0,
  };
}

/**
 * Similarity of the inside only: mutual information over the samples that are foreground in
 * both images (plain binning), normalised as 2·MI / (H₁ + H₂). A featureless blob of the right
 * shape matches a head's outline but not its inside, so this is near 0 for it.
 */
export function interiorSimilarity(
  fixedBins: Uint8Array,
  sampled: SampleBuffers,
  sourceBins: number,
  bins = 8,
): { mutualInformation: number; score: number; count: number } {
  const per = (sourceBins - 1) / bins;
  const joint = new Float64Array(bins * bins);
  let count = 0;
  for (let s = 0; s < fixedBins.length; s++) {
    const f = fixedBins[s]!;
    const m = sampled.values[s]!;
    if (!sampled.valid[s] || f < 1 || m < 1) continue;
    const a = Math.min(bins - 1, Math.floor((f - 1) / per));
    const b = Math.min(bins - 1, Math.floor((m - 1) / per));
    joint[a * bins + b]!++;
    count++;
  }
  if (count === 0) return { mutualInformation: 0, score: 0, count };
  const pf = new Float64Array(bins);
  const pm = new Float64Array(bins);
  for (let f = 0; f < bins; f++)
    for (let m = 0; m < bins; m++) {
      const p = joint[f * bins + m]! / count;
      pf[f]! += p;
      pm[m]! += p;
    }
  const entropy = (p: Float64Array) => p.reduce((h, x) => (x > 0 ? h - x * Math.log(x) : h), 0);
  let mi = 0;
  for (let f = 0; f < bins; f++)
    for (let m = 0; m < bins; m++) {
      const p = joint[f * bins + m]! / count;
      if (p > 0) mi += p * Math.log(p / (pf[f]! * pm[m]!));
    }
  const h = entropy(pf) + entropy(pm);
  return { mutualInformation: mi, score: h > 0 ? (2 * mi) / h : 0, count };
}

export interface TemplateSideInput {
  /** Template foreground test per voxel of `templateGeometry` (bin coordinate ≥ 1). */
  readonly templateValues: ArrayLike<number>;
  readonly templateGeometry: Geometry;
  /** Patient mapped image (bin coordinates) and its grid. */
  readonly patientValues: ArrayLike<number>;
  readonly patientGeometry: Geometry;
  readonly templateToPatient: Mat4;
}

/** Template-side overlap: template foreground voxels mapped into the patient grid. */
export function templateInPatient(input: TemplateSideInput): {
  overlap: number;
  inFieldOfView: number;
} {
  const tg = input.templateGeometry;
  const pg = input.patientGeometry;
  const { m, o } = worldToIndexAffine(pg);
  const t = input.templateToPatient;
  const [tx, ty, tz] = tg.shape;
  const [px, py, pz] = pg.shape;
  const d = tg.direction;
  const sp = tg.spacingMm;
  let fg = 0;
  let inView = 0;
  let hit = 0;
  let v = 0;
  for (let k = 0; k < tz; k++)
    for (let j = 0; j < ty; j++)
      for (let i = 0; i < tx; i++, v++) {
        if (!(input.templateValues[v]! >= 1)) continue;
        fg++;
        const a = i * sp[0];
        const b = j * sp[1];
        const c = k * sp[2];
        const wx = tg.originMm[0] + d[0] * a + d[1] * b + d[2] * c;
        const wy = tg.originMm[1] + d[3] * a + d[4] * b + d[5] * c;
        const wz = tg.originMm[2] + d[6] * a + d[7] * b + d[8] * c;
        const x = t[0]! * wx + t[1]! * wy + t[2]! * wz + t[3]!;
        const y = t[4]! * wx + t[5]! * wy + t[6]! * wz + t[7]!;
        const z = t[8]! * wx + t[9]! * wy + t[10]! * wz + t[11]!;
        const pi = Math.round(m[0] * x + m[1] * y + m[2] * z + o[0]);
        const pj = Math.round(m[3] * x + m[4] * y + m[5] * z + o[1]);
        const pk = Math.round(m[6] * x + m[7] * y + m[8] * z + o[2]);
        if (pi < 0 || pj < 0 || pk < 0 || pi >= px || pj >= py || pk >= pz) continue;
        inView++;
        if (input.patientValues[pi + px * (pj + py * pk)]! >= 1) hit++;
      }
  return { overlap: inView > 0 ? hit / inView : 0, inFieldOfView: fg > 0 ? inView / fg : 0 };
}

export interface CheckInput {
  readonly score: number;
  readonly interiorScore: number;
  readonly overlap: Overlap;
  readonly insideFraction: number;
  readonly linear: LinearDescription;
  readonly criteria: AcceptanceCriteria;
}

/** The reasons a registration is not accepted (empty when it is). */
export function failedChecks(input: CheckInput): string[] {
  const { criteria: c, linear, overlap } = input;
  const reasons: string[] = [];
  const f = (x: number, digits = 2) => x.toFixed(digits);
  if (linear.determinant <= 0) reasons.push('the transform mirrors the image');
  if (input.insideFraction < c.minInsideFraction)
    reasons.push(
      `only ${f(input.insideFraction * 100, 0)} % of the scan maps inside the template (need ${f(c.minInsideFraction * 100, 0)} %)`,
    );
  const [lo, hi] = c.stretchRange;
  const st = linear.stretches;
  if (st[0] > hi || st[2] < lo)
    reasons.push(
      `implausible scale: stretches ${st.map((s) => f(s)).join(', ')} outside ${lo}–${hi}`,
    );
  else if (st[0] / st[2] > c.maxAnisotropy)
    reasons.push(
      `implausible anisotropy: stretches ${st.map((s) => f(s)).join(', ')} (ratio over ${c.maxAnisotropy})`,
    );
  if (linear.rotationAngleDeg > c.maxRotationDeg)
    reasons.push(
      `implausible rotation of ${f(linear.rotationAngleDeg, 0)}° (limit ${c.maxRotationDeg}°)`,
    );
  const minOverlap = Math.min(overlap.patientInTemplate, overlap.templateInPatient);
  if (minOverlap < c.minOverlap)
    reasons.push(
      `template and scan do not overlap: ${f(overlap.patientInTemplate * 100, 0)} % of the scan's foreground on the template's, ${f(overlap.templateInPatient * 100, 0)} % of the template's on the scan's (need ${f(c.minOverlap * 100, 0)} %)`,
    );
  if (input.score < c.minScore)
    reasons.push(`low similarity: score ${f(input.score, 3)} below ${c.minScore}`);
  if (input.interiorScore < c.minInteriorScore)
    reasons.push(
      `the inside of the scan does not match the template: interior score ${f(input.interiorScore, 3)} below ${c.minInteriorScore}`,
    );
  return reasons;
}
