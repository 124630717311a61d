/**
 * Midline shift on head CT: how far the septum pellucidum lies from the ideal midline.
 *
 * The ideal midline is the template's mid-sagittal plane (x = 0) mapped into the patient by the
 * affine registration (which aligns the skull and head as a whole). The CT is sampled on a
 * template-space slab around the frontal horns of the lateral ventricles (LPS x −30…30 mm,
 * y −25…10 mm, z 0…30 mm). On each left-right line the septum is the thin (0.5–6 mm) run of
 * tissue between two CSF runs (−20…18 HU, each ≥ 3 mm); the shift is the median over lines of
 * the septum's x, in patient mm, positive towards the patient's left. Without enough lines
 * (e.g. ventricles effaced or not in the scan) the shift is reported as not measurable. Pure.
 */
import { type Geometry, worldToIndexAffine } from '../core/geometry.js';
import type { Mat4 } from '../core/vec.js';

export interface MidlineShift {
  /** Positive: septum displaced towards the patient's left; negative: towards the right. */
  readonly shiftMm: number | null;
  /** Left-right lines where the septum was found. */
  readonly lines: number;
  /** Interquartile range of the septum's position over those lines, mm. */
  readonly iqrMm: number | null;
  readonly method: string;
}

export interface MidlineShiftOptions {
  /** CT in HU on its native grid. */
  readonly ct: { readonly geometry: Geometry; readonly data: ArrayLike<number> };
  /** 4×4 row-major, template LPS mm → patient LPS mm. */
  readonly templateToPatient: Mat4;
  /** Fewest lines for a measurement; default 8. */
  readonly minLines?: number;
}

export const MIDLINE_METHOD =
  "septum pellucidum vs the mid-sagittal plane of the affine template registration; positive towards the patient's left";

const STEP_MM = 0.5;
const X_HALF_MM = 30;

function sampler(ct: MidlineShiftOptions['ct']): (p: readonly number[]) => number {
  const { m, o } = worldToIndexAffine(ct.geometry);
  const [nx, ny, nz] = ct.geometry.shape;
  const d = ct.data;
  return (p) => {
    const fi = m[0] * p[0]! + m[1] * p[1]! + m[2] * p[2]! + o[0];
    const fj = m[3] * p[0]! + m[4] * p[1]! + m[5] * p[2]! + o[1];
    const fk = m[6] * p[0]! + m[7] * p[1]! + m[8] * p[2]! + o[2];
    const i = Math.floor(fi);
    const j = Math.floor(fj);
    const k = Math.min(Math.max(Math.round(fk), 0), nz - 1);
    if (i < 0 || j < 0 || i >= nx - 1 || j >= ny - 1 || fk < -0.5 || fk > nz - 0.5) return NaN;
    const a = fi - i;
    const b = fj - j;
    const at = (ii: number, jj: number) => d[ii + nx * (jj + ny * k)]!;
    return (
      (1 - b) * ((1 - a) * at(i, j) + a * at(i + 1, j)) +
      b * ((1 - a) * at(i, j + 1) + a * at(i + 1, j + 1))
    );
  };
}

/** Septum x (template mm) on one line of samples at x = −30 … 30 mm, or undefined. */
export function septumOnLine(values: readonly number[]): number | undefined {
  const runs: [number, number][] = [];
  let start = -1;
  values.forEach((v, n) => {
    const csf = v >= -20 && v <= 18;
    if (csf && start < 0) start = n;
    if (!csf && start >= 0) {
      runs.push([start, n - 1]);
      start = -1;
    }
  });
  if (start >= 0) runs.push([start, values.length - 1]);
  const minRun = 3 / STEP_MM;
  let best: number | undefined;
  for (let r = 0; r + 1 < runs.length; r++) {
    const [s0, e0] = runs[r]!;
    const [s1, e1] = runs[r + 1]!;
    if (e0 - s0 + 1 < minRun || e1 - s1 + 1 < minRun) continue;
    const gapMm = (s1 - e0 - 1) * STEP_MM;
    if (gapMm < 0.5 || gapMm > 6) continue;
    const x = ((e0 + s1) / 2) * STEP_MM - X_HALF_MM;
    if (Math.abs(x) <= 20 && (best === undefined || Math.abs(x) < Math.abs(best))) best = x;
  }
  return best;
}

function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

export function measureMidlineShift(options: MidlineShiftOptions): MidlineShift {
  const sample = sampler(options.ct);
  const t = options.templateToPatient;
  const toPatient = (x: number, y: number, z: number) =>
    [0, 1, 2].map((r) => t[4 * r]! * x + t[4 * r + 1]! * y + t[4 * r + 2]! * z + t[4 * r + 3]!);
  const found: number[] = [];
  for (let z = 0; z <= 30; z += 2)
    for (let y = -25; y <= 10; y += 1) {
      const line: number[] = [];
      for (let x = -X_HALF_MM; x <= X_HALF_MM + 1e-9; x += STEP_MM)
        line.push(sample(toPatient(x, y, z)));
      if (line.some(Number.isNaN)) continue;
      const septum = septumOnLine(line);
      if (septum !== undefined) found.push(septum);
    }
  const none = { shiftMm: null, lines: found.length, iqrMm: null, method: MIDLINE_METHOD };
  if (found.length < (options.minLines ?? 8)) return none;
  found.sort((a, b) => a - b);
  // Template mm → patient mm along the patient's left-right axis.
  const xScale = Math.hypot(t[0]!, t[4]!, t[8]!);
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    shiftMm: round(quantile(found, 0.5) * xScale),
    lines: found.length,
    iqrMm: round((quantile(found, 0.75) - quantile(found, 0.25)) * xScale),
    method: MIDLINE_METHOD,
  };
}
