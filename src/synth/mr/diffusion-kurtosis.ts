/**
 * Diffusion kurtosis, so that one scan can be re-made at another b-value: tissue signal decays
 * slower than mono-exponentially, ln S(b) = ln S0 − b·D + b²·D²·K/6, so the ADC a scanner
 * computes from b0 and one shell (the apparent ADC) falls as b rises — at b 2000–2500 grey matter,
 * cerebellum and brainstem are brighter and their ADC ~15–25 % lower than at b 1000, which is
 * what the real b2000/b2500 scans show. Free water (CSF) has K ≈ 0. Pure.
 */

/** D (mm²/s) whose apparent ADC at `bValue` with kurtosis `k` is `apparentMm2`. */
export function diffusivityFromApparent(apparentMm2: number, bValue: number, k: number): number {
  const q = (bValue * k) / 6;
  if (!(q > 0) || !(apparentMm2 > 0)) return Math.max(0, apparentMm2);
  const disc = 1 - 4 * q * apparentMm2;
  // beyond the model's range (apparent ADC too high for this K): keep the measured value
  if (disc <= 0) return apparentMm2;
  return (1 - Math.sqrt(disc)) / (2 * q);
}

/** Signal at `bValue` for unweighted signal `s0`, diffusivity `dMm2` (mm²/s) and kurtosis `k`. */
export function kurtosisSignal(s0: number, dMm2: number, k: number, bValue: number): number {
  // the kurtosis term is only valid while the signal still falls with b (b < 3/(D·K))
  const b = k > 0 && dMm2 > 0 ? Math.min(bValue, 3 / (dMm2 * k)) : bValue;
  const extra = bValue - b;
  return s0 * Math.exp(-b * dMm2 + (b * b * dMm2 * dMm2 * k) / 6 - extra * dMm2 * 0.5);
}

/** The apparent ADC (mm²/s) that b0 and one shell at `bValue` give for D and K. */
export function apparentAdc(dMm2: number, k: number, bValue: number): number {
  return -Math.log(kurtosisSignal(1, dMm2, k, bValue)) / bValue;
}
