/**
 * One pyramid level: the patient → template transform
 *   y = A(θ) · L₀ · (x − c_p) + c_t + t(θ)
 * (L₀ a fixed starting linear part, e.g. a flip candidate; c_p, c_t the patient's and the
 * template's foreground centres) is optimised with L-BFGS on the similarity metric. Parameters
 * are scaled so that one unit moves a sample at the samples' RMS radius by about 1 mm; the
 * gradient is analytic in the image part (metric-mi.ts / metric-ncc.ts) and chained through
 * d(A)/d(θ) (affine-params.ts). Inactive parameters stay where they are. Pure.
 */
import type { Mat3, Mat4, Vec3 } from '../core/vec.js';
import { mulMat, mulMatVec } from '../core/vec.js';
import { affineFromParts } from './affine-matrix.js';
import { PARAM_COUNT, ROTATION, linearFromParams, linearJacobian } from './affine-params.js';
import { minimiseLbfgs } from './lbfgs.js';
import { type MiValue, mattesMutualInformation } from './metric-mi.js';
import { normalisedCrossCorrelation } from './metric-ncc.js';
import type { PatientLevel } from './patient-samples.js';
import { type SampleBuffers, createSampleBuffers, sampleTemplate } from './template-sampler.js';
import type { TemplateLevel } from './template-image.js';

export type SimilarityMetric = 'mutual-information' | 'ncc';

export interface TransformFrame {
  readonly initialLinear: Mat3;
  readonly patientCentreMm: Vec3;
  readonly templateCentreMm: Vec3;
}

export interface LevelProblem extends TransformFrame {
  readonly template: TemplateLevel;
  readonly patient: PatientLevel;
  readonly bins: number;
  readonly metric: SimilarityMetric;
}

export interface LevelRun {
  readonly params: Float64Array;
  readonly cost: number;
  readonly iterations: number;
  readonly evaluations: number;
  readonly stopped: string;
}

export interface OptimiseLevelOptions {
  readonly params: ArrayLike<number>;
  /** Which of the 12 parameters move. */
  readonly active: readonly boolean[];
  readonly maxIterations: number;
  /** Longest trial step, mm at the samples' radius. */
  readonly maxStepMm: number;
  /** Converged below this step, mm. */
  readonly minStepMm: number;
}

/** Patient LPS mm → template LPS mm for parameters `params` in `frame`. */
export function transformFromParams(params: ArrayLike<number>, frame: TransformFrame): Mat4 {
  const a = mulMat(linearFromParams(params), frame.initialLinear);
  const ac = mulMatVec(a, frame.patientCentreMm);
  const t: Vec3 = [
    frame.templateCentreMm[0] + params[0]! - ac[0],
    frame.templateCentreMm[1] + params[1]! - ac[1],
    frame.templateCentreMm[2] + params[2]! - ac[2],
  ];
  return affineFromParts(a, t);
}

/** Cost at `params`; when `gradient` is given, d(cost)/d(params) (unscaled). */
export function evaluateLevel(
  problem: LevelProblem,
  params: ArrayLike<number>,
  buffers: SampleBuffers,
  gradient?: Float64Array,
): { cost: number; mi?: MiValue; correlation?: number; validCount: number } {
  const l0 = problem.initialLinear;
  const a = mulMat(linearFromParams(params), l0);
  const c = problem.templateCentreMm;
  const b = [c[0] + params[0]!, c[1] + params[1]!, c[2] + params[2]!];
  const { patient } = problem;
  sampleTemplate(problem.template, patient.positions, a, b, buffers);
  const g = gradient ? new Float64Array(12) : undefined;
  let out: { cost: number; mi?: MiValue; correlation?: number; validCount: number };
  if (problem.metric === 'ncc') {
    const v = normalisedCrossCorrelation(
      { fixedValues: patient.fixedValues, positions: patient.positions, sampled: buffers },
      g,
    );
    out = { cost: v.cost, correlation: v.correlation, validCount: v.validCount };
  } else {
    const v = mattesMutualInformation(
      {
        bins: problem.bins,
        fixedBins: patient.fixedBins,
        positions: patient.positions,
        sampled: buffers,
      },
      g,
    );
    out = { cost: v.cost, mi: v, validCount: v.validCount };
  }
  if (gradient && g) {
    // d/dA(θ) = G_A · L₀ᵀ, then through the 9×9 Jacobian of A(θ).
    const ga = new Float64Array(9);
    for (let r = 0; r < 3; r++)
      for (let col = 0; col < 3; col++)
        ga[r * 3 + col] =
          g[r * 3]! * l0[col * 3]! +
          g[r * 3 + 1]! * l0[col * 3 + 1]! +
          g[r * 3 + 2]! * l0[col * 3 + 2]!;
    const jac = linearJacobian(params);
    gradient[0] = g[9]!;
    gradient[1] = g[10]!;
    gradient[2] = g[11]!;
    for (let j = 0; j < 9; j++) {
      let s = 0;
      for (let e = 0; e < 9; e++) s += jac[j * 9 + e]! * ga[e]!;
      gradient[ROTATION + j] = s;
    }
  }
  return out;
}

export function optimiseLevel(problem: LevelProblem, options: OptimiseLevelOptions): LevelRun {
  const radius = Math.max(20, problem.patient.radiusMm);
  // x = θ / scale: one unit of x is ~1 mm of displacement at the samples' radius.
  const scale = Float64Array.from({ length: PARAM_COUNT }, (_, i) => (i < 3 ? 1 : 1 / radius));
  const buffers = createSampleBuffers(problem.patient.fixedBins.length);
  const base = Float64Array.from(options.params);
  const params = new Float64Array(PARAM_COUNT);
  const grad = new Float64Array(PARAM_COUNT);
  const toParams = (x: Float64Array) => {
    for (let i = 0; i < PARAM_COUNT; i++)
      params[i] = options.active[i] ? x[i]! * scale[i]! : base[i]!;
    return params;
  };
  const x0 = base.map((v, i) => v / scale[i]!);
  const result = minimiseLbfgs({
    x0,
    maxIterations: options.maxIterations,
    maxStep: options.maxStepMm,
    minStep: options.minStepMm,
    evaluate: (x, gx) => {
      const { cost } = evaluateLevel(problem, toParams(x), buffers, grad);
      for (let i = 0; i < PARAM_COUNT; i++) gx[i] = options.active[i] ? grad[i]! * scale[i]! : 0;
      return cost;
    },
  });
  return {
    params: Float64Array.from(toParams(result.x)),
    cost: result.cost,
    iterations: result.iterations,
    evaluations: result.evaluations,
    stopped: result.stopped,
  };
}
