/**
 * Intensities → continuous histogram-bin coordinates in [0, bins − 1], the same rule for every
 * modality so that mutual information needs no units: a foreground threshold (Otsu), then
 * background values go linearly to [0, 1) and foreground values are equalised (piecewise linear
 * through their quantiles) onto [1, bins − 1]. A CT in HU and a template in Cormack units, or a
 * DWI and a T1, thus spread their tissue over all bins instead of one bin per 100 HU. Pure.
 */

export interface IntensityMap {
  readonly bins: number;
  /** Lowest value seen (maps to 0). */
  readonly lowest: number;
  /** Foreground threshold (maps to 1). */
  readonly threshold: number;
  /** Quantiles of the foreground, ascending (maps linearly onto 1 … bins − 1). */
  readonly knots: Float64Array;
}

export interface FitIntensityMapOptions {
  readonly bins: number;
  /** Number of quantile intervals of the foreground (default 48). */
  readonly intervals?: number;
  /** Use at most about this many values (a regular stride through the data; default 100 000). */
  readonly maxValues?: number;
  /** Fit only where this is non-zero (same length as the data). */
  readonly mask?: ArrayLike<number>;
}

/** Otsu's threshold over a 256-bin histogram between the smallest and largest value. */
export function otsuThreshold(values: Float64Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!(max > min)) return min;
  const hist = new Float64Array(256);
  const width = (max - min) / 256;
  for (const v of values) hist[Math.min(255, Math.floor((v - min) / width))]!++;
  let total = 0;
  let sumAll = 0;
  for (let b = 0; b < 256; b++) {
    total += hist[b]!;
    sumAll += b * hist[b]!;
  }
  let w0 = 0;
  let sum0 = 0;
  let best = 0;
  let bestBin = 0;
  for (let b = 0; b < 255; b++) {
    w0 += hist[b]!;
    sum0 += b * hist[b]!;
    const w1 = total - w0;
    if (w0 === 0 || w1 === 0) continue;
    const between = w0 * w1 * (sum0 / w0 - (sumAll - sum0) / w1) ** 2;
    if (between > best) [best, bestBin] = [between, b];
  }
  return min + (bestBin + 1) * width;
}

export function fitIntensityMap(
  data: ArrayLike<number>,
  options: FitIntensityMapOptions,
): IntensityMap {
  const intervals = options.intervals ?? 48;
  const stride = Math.max(1, Math.floor(data.length / (options.maxValues ?? 100_000)));
  const picked = new Float64Array(Math.ceil(data.length / stride));
  let count = 0;
  let lowest = Infinity;
  for (let n = 0; n < data.length; n += stride) {
    if (options.mask && !options.mask[n]) continue;
    const v = data[n]!;
    if (!Number.isFinite(v)) continue;
    picked[count++] = v;
    if (v < lowest) lowest = v;
  }
  if (count === 0)
    return { bins: options.bins, lowest: 0, threshold: 1, knots: new Float64Array([1, 2]) };
  const all = picked.subarray(0, count);
  const threshold = Math.max(otsuThreshold(all), lowest + Number.EPSILON);
  const fg = all.filter((v) => v >= threshold).sort();
  const knots = new Float64Array(intervals + 1);
  for (let q = 0; q <= intervals; q++) {
    const f = 0.002 + (0.996 * q) / intervals;
    knots[q] = fg.length > 0 ? fg[Math.min(fg.length - 1, Math.floor(f * fg.length))]! : threshold;
  }
  knots[0] = Math.min(knots[0]!, threshold);
  return { bins: options.bins, lowest, threshold, knots };
}

/** One value → bin coordinate in [0, bins − 1]. */
export function mapIntensity(map: IntensityMap, v: number): number {
  const { knots, bins, threshold, lowest } = map;
  if (!(v >= threshold)) {
    if (!(v > lowest)) return 0;
    return (v - lowest) / (threshold - lowest);
  }
  const last = knots.length - 1;
  if (v >= knots[last]!) return bins - 1;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (knots[mid]! <= v) lo = mid;
    else hi = mid;
  }
  const span = knots[hi]! - knots[lo]!;
  const frac = span > 0 ? (v - knots[lo]!) / span : 0;
  const pos = Math.max(0, lo + frac);
  return 1 + ((bins - 2) * pos) / last;
}

/**
 * Maps every value; float32 output. Through a 4096-entry table over [lowest, top knot] with
 * linear interpolation (exact at the knots; within 0.01 bin elsewhere).
 */
export function mapIntensities(map: IntensityMap, data: ArrayLike<number>): Float32Array {
  const out = new Float32Array(data.length);
  const size = 4096;
  const lo = map.lowest;
  const hi = map.knots[map.knots.length - 1]!;
  if (!(hi > lo)) {
    for (let n = 0; n < data.length; n++) out[n] = mapIntensity(map, data[n]!);
    return out;
  }
  const table = new Float32Array(size + 1);
  const step = (hi - lo) / size;
  for (let t = 0; t <= size; t++) table[t] = mapIntensity(map, lo + t * step);
  const top = map.bins - 1;
  for (let n = 0; n < data.length; n++) {
    const v = data[n]!;
    if (!(v > lo)) out[n] = 0;
    else if (v >= hi) out[n] = top;
    else {
      const x = (v - lo) / step;
      const t = Math.floor(x);
      out[n] = table[t]! + (table[t + 1]! - table[t]!) * (x - t);
    }
  }
  return out;
}
