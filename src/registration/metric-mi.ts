/**
 * Mattes mutual information (Mattes et al., IEEE TMI 2003; as in ITK) and its analytic gradient.
 * The patient samples carry integer bins (box Parzen window); the template value at each sample
 * is a continuous bin coordinate m, spread over 4 bins by a cubic B-spline window, so the joint
 * histogram p(ι, κ) is differentiable in m. With p_f fixed,
 *   dMI/dθ = Σ_{ι,κ} ∂p(ι,κ)/∂θ · log(p(ι,κ) / p_m(κ)),
 * and ∂p/∂θ goes through m_s = M(A·u_s + b): ∂m_s/∂A_rc = ∇M_r · u_c, ∂m_s/∂b_r = ∇M_r.
 * Cost = −MI (to minimise). Also returns the entropies, for a normalised score. Pure.
 */
import type { SampleBuffers } from './template-sampler.js';

export interface MiInput {
  readonly bins: number;
  /** Patient bin per sample (0 … bins − 1). */
  readonly fixedBins: Uint8Array;
  /** Patient sample positions (relative to the patient centre), 3 per sample. */
  readonly positions: Float32Array;
  readonly sampled: SampleBuffers;
}

export interface MiValue {
  /** −MI, nats. */
  readonly cost: number;
  readonly mutualInformation: number;
  readonly entropyFixed: number;
  readonly entropyMoving: number;
  readonly validCount: number;
}

/** Cubic B-spline window: weights of bins ⌊m⌋−1 … ⌊m⌋+2 and their derivatives in m. */
function splineWeights(t: number, w: Float64Array, dw: Float64Array): void {
  const t2 = t * t;
  const t3 = t2 * t;
  const u = 1 - t;
  w[0] = (u * u * u) / 6;
  w[1] = (3 * t3 - 6 * t2 + 4) / 6;
  w[2] = (-3 * t3 + 3 * t2 + 3 * t + 1) / 6;
  w[3] = t3 / 6;
  dw[0] = -(u * u) / 2;
  dw[1] = 1.5 * t2 - 2 * t;
  dw[2] = -1.5 * t2 + t + 0.5;
  dw[3] = t2 / 2;
}

/**
 * −MI for the sampled template values; when `gradient` (length 12) is given, fills it with
 * d(−MI)/d(A₀₀ … A₂₂, b₀, b₁, b₂).
 */
export function mattesMutualInformation(input: MiInput, gradient?: Float64Array): MiValue {
  const { bins, fixedBins, positions, sampled } = input;
  const { values, gradients, valid } = sampled;
  const width = bins + 4;
  const joint = new Float64Array(bins * width);
  const fixedCount = new Float64Array(bins);
  const w = new Float64Array(4);
  const dw = new Float64Array(4);
  const n = values.length;
  let count = 0;
  for (let s = 0; s < n; s++) {
    if (!valid[s]) continue;
    const m = values[s]!;
    const mi = Math.floor(m);
    splineWeights(m - mi, w, dw);
    const row = fixedBins[s]! * width + mi + 1; // bin mi − 1, padded by 2
    joint[row]! += w[0]!;
    joint[row + 1]! += w[1]!;
    joint[row + 2]! += w[2]!;
    joint[row + 3]! += w[3]!;
    fixedCount[fixedBins[s]!]!++;
    count++;
  }
  if (count === 0) {
    gradient?.fill(0);
    return { cost: 0, mutualInformation: 0, entropyFixed: 0, entropyMoving: 0, validCount: 0 };
  }
  const moving = new Float64Array(width);
  for (let f = 0; f < bins; f++)
    for (let b = 0; b < width; b++) moving[b]! += joint[f * width + b]!;
  let mutual = 0;
  let hf = 0;
  let hm = 0;
  const logRatio = new Float64Array(bins * width);
  for (let b = 0; b < width; b++) {
    const pm = moving[b]! / count;
    if (pm > 0) hm -= pm * Math.log(pm);
  }
  for (let f = 0; f < bins; f++) {
    const pf = fixedCount[f]! / count;
    if (pf <= 0) continue;
    hf -= pf * Math.log(pf);
    for (let b = 0; b < width; b++) {
      const p = joint[f * width + b]! / count;
      if (p <= 0) continue;
      const pm = moving[b]! / count;
      const l = Math.log(p / pm);
      logRatio[f * width + b] = l;
      mutual += p * (l - Math.log(pf));
    }
  }
  if (gradient) {
    gradient.fill(0);
    let g00 = 0, g01 = 0, g02 = 0, g10 = 0, g11 = 0, g12 = 0, g20 = 0, g21 = 0, g22 = 0; // prettier-ignore
    let gb0 = 0, gb1 = 0, gb2 = 0; // prettier-ignore
    for (let s = 0; s < n; s++) {
      if (!valid[s]) continue;
      const m = values[s]!;
      const mi = Math.floor(m);
      splineWeights(m - mi, w, dw);
      const row = fixedBins[s]! * width + mi + 1;
      // d(−MI)/dm_s = −(1/N) Σ_κ log(p/p_m) · dβ/dm
      const dCostDm =
        -(
          logRatio[row]! * dw[0]! +
          logRatio[row + 1]! * dw[1]! +
          logRatio[row + 2]! * dw[2]! +
          logRatio[row + 3]! * dw[3]!
        ) / count;
      if (dCostDm === 0) continue;
      const qx = dCostDm * gradients[3 * s]!;
      const qy = dCostDm * gradients[3 * s + 1]!;
      const qz = dCostDm * gradients[3 * s + 2]!;
      const ux = positions[3 * s]!;
      const uy = positions[3 * s + 1]!;
      const uz = positions[3 * s + 2]!;
      g00 += qx * ux;
      g01 += qx * uy;
      g02 += qx * uz; // prettier-ignore
      g10 += qy * ux;
      g11 += qy * uy;
      g12 += qy * uz; // prettier-ignore
      g20 += qz * ux;
      g21 += qz * uy;
      g22 += qz * uz; // prettier-ignore
      gb0 += qx;
      gb1 += qy;
      gb2 += qz;
    }
    gradient.set([g00, g01, g02, g10, g11, g12, g20, g21, g22, gb0, gb1, gb2]);
  }
  return {
    cost: -mutual,
    mutualInformation: mutual,
    entropyFixed: hf,
    entropyMoving: hm,
    validCount: count,
  };
}
