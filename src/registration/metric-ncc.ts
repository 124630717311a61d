/**
 * Normalised cross-correlation between the patient's mapped intensities and the template's at
 * the same samples, and its analytic gradient:
 *   dNCC/dm_s = (f_s − f̄) / √(S_ff·S_mm) − NCC · (m_s − m̄) / S_mm,
 * chained through m_s = M(A·u_s + b) as in metric-mi.ts. Cost = −NCC. Kept to compare with
 * mutual information (docs/registration.md); mutual information is the default. Pure.
 */
import type { SampleBuffers } from './template-sampler.js';

export interface NccInput {
  readonly fixedValues: Float32Array;
  readonly positions: Float32Array;
  readonly sampled: SampleBuffers;
}

export interface NccValue {
  readonly cost: number;
  readonly correlation: number;
  readonly validCount: number;
}

export function normalisedCrossCorrelation(input: NccInput, gradient?: Float64Array): NccValue {
  const { fixedValues, positions, sampled } = input;
  const { values, gradients, valid } = sampled;
  const n = values.length;
  let count = 0;
  let sf = 0;
  let sm = 0;
  for (let s = 0; s < n; s++) {
    if (!valid[s]) continue;
    sf += fixedValues[s]!;
    sm += values[s]!;
    count++;
  }
  if (count < 2) {
    gradient?.fill(0);
    return { cost: 0, correlation: 0, validCount: count };
  }
  const mf = sf / count;
  const mm = sm / count;
  let sff = 0;
  let smm = 0;
  let sfm = 0;
  for (let s = 0; s < n; s++) {
    if (!valid[s]) continue;
    const a = fixedValues[s]! - mf;
    const b = values[s]! - mm;
    sff += a * a;
    smm += b * b;
    sfm += a * b;
  }
  const denom = Math.sqrt(sff * smm);
  const ncc = denom > 0 ? sfm / denom : 0;
  if (gradient) {
    gradient.fill(0);
    if (denom > 0)
      for (let s = 0; s < n; s++) {
        if (!valid[s]) continue;
        const dCostDm = -((fixedValues[s]! - mf) / denom - (ncc * (values[s]! - mm)) / smm);
        const q = [gradients[3 * s]!, gradients[3 * s + 1]!, gradients[3 * s + 2]!];
        for (let r = 0; r < 3; r++) {
          const qr = dCostDm * q[r]!;
          gradient[r * 3]! += qr * positions[3 * s]!;
          gradient[r * 3 + 1]! += qr * positions[3 * s + 1]!;
          gradient[r * 3 + 2]! += qr * positions[3 * s + 2]!;
          gradient[9 + r]! += qr;
        }
      }
  }
  return { cost: -ncc, correlation: ncc, validCount: count };
}
