/**
 * Everything measured on one case: ISLES'22 metrics and surface distances for "any lesion",
 * per-label metrics for multi-label maps (haemorrhage subtypes), lesion detection by size and
 * region, and the patient-level inputs (truth positive, score, predicted positive). Pure.
 */
import type { Vec3 } from '../core/vec.js';
import { type CaseDetection, detectLesions } from './detection.js';
import { type IslesMetrics, islesMetrics } from './isles-metrics.js';
import { type PerLabelMetrics, perLabelMetrics } from './per-label.js';
import { type SurfaceDistances, surfaceDistances } from './surface-distance.js';

export interface CaseEvaluationInput {
  readonly id: string;
  readonly truth: ArrayLike<number>;
  readonly prediction: ArrayLike<number>;
  readonly shape: Vec3;
  readonly spacingMm: Vec3;
  /** Label names for per-label metrics; omit (or give one label) for binary tasks. */
  readonly labels?: Readonly<Record<number, string>>;
  /** Region of a truth voxel (by linear index), for region-stratified detection. */
  readonly regionOf?: (voxel: number) => string | undefined;
  /** Patient-level score from the model's report; default: predicted lesion volume (mL). */
  readonly score?: number;
  /** The model's own decision; default: any predicted lesion voxel. */
  readonly predictedPositive?: boolean;
  readonly missingPrediction?: boolean;
  readonly resampled?: boolean;
  /** The model's report called the study not assessable (counted by the caller's rule). */
  readonly notAssessable?: boolean;
}

export interface CaseEvaluation {
  readonly id: string;
  readonly metrics: IslesMetrics & SurfaceDistances;
  readonly perLabel?: PerLabelMetrics;
  readonly detection: CaseDetection;
  readonly truthPositive: boolean;
  readonly predictedPositive: boolean;
  readonly score: number;
  readonly missingPrediction: boolean;
  readonly resampled: boolean;
  readonly notAssessable: boolean;
}

export function evaluateCase(input: CaseEvaluationInput): CaseEvaluation {
  const { truth, prediction, shape, spacingMm } = input;
  const voxelMl = (spacingMm[0] * spacingMm[1] * spacingMm[2]) / 1000;
  const isles = islesMetrics({ truth, prediction, shape, voxelMl });
  const surface = surfaceDistances({ truth, prediction, shape, spacingMm });
  const labelNames = input.labels ?? {};
  const perLabel =
    Object.keys(labelNames).length > 1
      ? perLabelMetrics({ truth, prediction, shape, spacingMm, labels: labelNames })
      : undefined;
  const detection = detectLesions({
    truth,
    prediction,
    shape,
    spacingMm,
    regionOf: input.regionOf,
  });
  return {
    id: input.id,
    metrics: { ...isles, ...surface },
    perLabel,
    detection,
    truthPositive: isles.truthVolumeMl > 0,
    predictedPositive: input.predictedPositive ?? isles.predictedVolumeMl > 0,
    score: input.score ?? isles.predictedVolumeMl,
    missingPrediction: input.missingPrediction ?? false,
    resampled: input.resampled ?? false,
    notAssessable: input.notAssessable ?? false,
  };
}
