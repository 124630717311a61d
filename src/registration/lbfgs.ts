/**
 * Limited-memory BFGS with a backtracking (Armijo) line search, for a few well-scaled
 * parameters. A trial step is never longer than `maxStep` in any component; when the line
 * search fails along the quasi-Newton direction the memory is dropped and steepest descent is
 * tried before giving up. Stops when a step is shorter than `minStep` (largest component), when
 * the cost stops improving, or after `maxIterations`. Pure.
 */

export interface MinimiseOptions {
  readonly x0: ArrayLike<number>;
  /** Returns the cost at x and writes its gradient into `gradient`. */
  readonly evaluate: (x: Float64Array, gradient: Float64Array) => number;
  readonly maxIterations: number;
  /** Longest trial step (largest component, parameter units). */
  readonly maxStep: number;
  /** Converged when an accepted step's largest component is below this. */
  readonly minStep: number;
  /** Pairs kept (default 6). */
  readonly memory?: number;
}

export interface MinimiseResult {
  readonly x: Float64Array;
  readonly cost: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly stopped: 'small step' | 'no progress' | 'line search' | 'max iterations';
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const maxAbs = (a: Float64Array): number => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

export function minimiseLbfgs(options: MinimiseOptions): MinimiseResult {
  const n = options.x0.length;
  const memory = options.memory ?? 6;
  let x: Float64Array = Float64Array.from(options.x0);
  let g: Float64Array = new Float64Array(n);
  let f = options.evaluate(x, g);
  let evaluations = 1;
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  let stalls = 0;
  let iterations = 0;
  while (iterations < options.maxIterations) {
    let direction = twoLoop(g, ss, ys);
    let slope = dot(direction, g);
    if (!(slope < 0) || ss.length === 0) {
      direction = steepest(g, options.maxStep);
      slope = dot(direction, g);
      ss.length = 0;
      ys.length = 0;
    }
    if (slope === 0) return done('small step');
    const longest = maxAbs(direction);
    if (longest > options.maxStep) {
      const k = options.maxStep / longest;
      for (let i = 0; i < n; i++) direction[i]! *= k;
      slope *= k;
    }
    let step = searchLine(direction, slope);
    if (!step && ss.length > 0) {
      ss.length = 0;
      ys.length = 0;
      direction = steepest(g, options.maxStep);
      step = searchLine(direction, dot(direction, g));
    }
    if (!step) return done('line search');
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = step.x[i]! - x[i]!;
      y[i] = step.g[i]! - g[i]!;
    }
    const improvement = f - step.f;
    [x, g, f] = [step.x, step.g, step.f];
    iterations++;
    if (dot(s, y) > 1e-12 * dot(s, s)) {
      ss.push(s);
      ys.push(y);
      if (ss.length > memory) {
        ss.shift();
        ys.shift();
      }
    }
    if (maxAbs(s) < options.minStep) return done('small step');
    stalls = improvement < 1e-7 * Math.max(1e-12, Math.abs(f)) ? stalls + 1 : 0;
    if (stalls >= 3) return done('no progress');
  }
  return done('max iterations');

  function done(stopped: MinimiseResult['stopped']): MinimiseResult {
    return { x, cost: f, iterations, evaluations, stopped };
  }

  function searchLine(
    direction: Float64Array,
    slope: number,
  ): { x: Float64Array; g: Float64Array; f: number } | null {
    let alpha = 1;
    for (let tries = 0; tries < 10; tries++) {
      const xt = new Float64Array(n);
      for (let i = 0; i < n; i++) xt[i] = x[i]! + alpha * direction[i]!;
      const gt = new Float64Array(n);
      const ft = options.evaluate(xt, gt);
      evaluations++;
      if (Number.isFinite(ft) && ft <= f + 1e-4 * alpha * slope) return { x: xt, g: gt, f: ft };
      alpha *= 0.4;
      if (alpha * maxAbs(direction) < options.minStep / 4) break;
    }
    return null;
  }
}

/** Steepest descent scaled so its largest component is `length`. */
function steepest(g: Float64Array, length: number): Float64Array {
  const m = maxAbs(g);
  return g.map((v) => (m > 0 ? (-v / m) * length : 0));
}

/** The L-BFGS two-loop recursion: −H·g. */
function twoLoop(g: Float64Array, ss: Float64Array[], ys: Float64Array[]): Float64Array {
  const q = Float64Array.from(g);
  const alphas: number[] = [];
  for (let k = ss.length - 1; k >= 0; k--) {
    const rho = 1 / dot(ys[k]!, ss[k]!);
    const a = rho * dot(ss[k]!, q);
    alphas[k] = a;
    for (let i = 0; i < q.length; i++) q[i]! -= a * ys[k]![i]!;
  }
  const last = ss.length - 1;
  const gamma = last >= 0 ? dot(ss[last]!, ys[last]!) / dot(ys[last]!, ys[last]!) : 1;
  for (let i = 0; i < q.length; i++) q[i]! *= gamma;
  for (let k = 0; k < ss.length; k++) {
    const rho = 1 / dot(ys[k]!, ss[k]!);
    const b = rho * dot(ys[k]!, q);
    for (let i = 0; i < q.length; i++) q[i]! += ss[k]![i]! * (alphas[k]! - b);
  }
  for (let i = 0; i < q.length; i++) q[i] = -q[i]!;
  return q;
}
