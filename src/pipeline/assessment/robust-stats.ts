/**
 * Small robust statistics for the image-quality checks: quantiles of a sample (NaN when empty)
 * and the noise σ of an image from neighbouring-voxel differences (robust to edges through the
 * median absolute deviation). Pure.
 */

/** The q-quantile (0..1, nearest rank) of `values`; NaN when there are none. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[rank]!;
}

export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5);
}

/** Arithmetic mean; NaN when empty. */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return sum / values.length;
}

/**
 * Noise σ from differences of in-plane neighbours (x then x + 1) where both lie in `within`:
 * for white noise d = a − b has σ√2, and 1.4826 · MAD(d) estimates σ(d) while ignoring the few
 * large differences at tissue edges. NaN when no pair is found.
 */
export function neighbourNoiseSigma(options: {
  data: ArrayLike<number>;
  shape: readonly [number, number, number];
  within: (v: number) => boolean;
  /** Keeps at most this many pairs (evenly strided), for speed; default 200 000. */
  maxPairs?: number;
}): number {
  const { data, shape, within } = options;
  const [nx, ny, nz] = shape;
  const all: number[] = [];
  for (let k = 0; k < nz; k++)
    for (let j = 0; j < ny; j++)
      for (let i = 0; i + 1 < nx; i++) {
        const v = i + nx * (j + ny * k);
        if (within(v) && within(v + 1)) all.push(data[v]! - data[v + 1]!);
      }
  const maxPairs = options.maxPairs ?? 200_000;
  const stride = Math.max(1, Math.floor(all.length / maxPairs));
  const diffs = stride === 1 ? all : all.filter((_, n) => n % stride === 0);
  const mid = median(diffs);
  const dev = diffs.map((d) => Math.abs(d - mid));
  return (1.4826 * median(dev)) / Math.SQRT2;
}
