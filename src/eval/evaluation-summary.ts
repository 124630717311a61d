/**
 * The numbers a stroke-AI paper reports, pooled over cases: mean/median segmentation metrics
 * (Dice, lesion-wise F1, volume and count differences, HD95, ASSD), per-label means, detection
 * sensitivity by lesion size and region, patient-level sensitivity/specificity/PPV/NPV with
 * Wilson intervals, ROC AUC with a bootstrap interval, the operating point for a target
 * sensitivity, and volume agreement (ICC, Bland–Altman). Pure.
 */
import { type ConfusionStats, confusionStats } from './binary-stats.js';
import { type PooledDetection, aggregateDetection } from './detection.js';
import { type BlandAltman, type IccResult, blandAltman, icc, pearson } from './agreement.js';
import type { CaseEvaluation } from './evaluate-case.js';
import { type OperatingPoint, operatingPointForSensitivity } from './operating-point.js';
import { type BootstrapAuc, type RocCurve, bootstrapAuc, rocCurve } from './roc.js';

export interface MetricStats {
  readonly n: number;
  readonly mean: number;
  readonly median: number;
  readonly sd: number;
  /** Cases where the metric is undefined (e.g. HD95 with one empty mask). */
  readonly undefinedCases: number;
}

export interface EvaluationSummary {
  readonly cases: number;
  readonly missingPredictions: readonly string[];
  readonly resampledCases: readonly string[];
  /** Cases the model's report called not assessable (counted as positive calls). */
  readonly notAssessableCases: readonly string[];
  /** Over cases whose truth has a lesion (Dice etc. are not informative on negatives). */
  readonly segmentation: Readonly<Record<string, MetricStats>>;
  readonly perLabel?: Readonly<Record<string, Readonly<Record<string, MetricStats>>>>;
  readonly detection: PooledDetection;
  readonly patient: {
    readonly atModelDecision: ConfusionStats;
    readonly roc?: RocCurve;
    readonly auc?: BootstrapAuc;
    readonly operatingPoint?: OperatingPoint;
    readonly note?: string;
  };
  readonly volume: {
    readonly blandAltman?: BlandAltman;
    readonly icc?: IccResult;
    readonly pearson?: number;
  };
}

export function metricStats(values: readonly number[]): MetricStats {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  const n = finite.length;
  const mean = n ? finite.reduce((s, x) => s + x, 0) / n : NaN;
  const sd = n > 1 ? Math.sqrt(finite.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1)) : NaN;
  const median = n ? (finite[(n - 1) >> 1]! + finite[n >> 1]!) / 2 : NaN;
  return { n, mean, median, sd, undefinedCases: values.length - n };
}

const SEGMENTATION_KEYS = [
  'dice',
  'lesionF1',
  'absVolumeDiffMl',
  'absLesionCountDiff',
  'hd95Mm',
  'assdMm',
] as const;

export interface SummaryOptions {
  /** Sensitivity the operating point must reach (default 0.99). */
  readonly targetSensitivity?: number;
  /** Seed of the AUC bootstrap (default 1). */
  readonly seed?: number;
  readonly bootstrapIterations?: number;
}

export function summariseEvaluation(
  cases: readonly CaseEvaluation[],
  options: SummaryOptions = {},
): EvaluationSummary {
  const positives = cases.filter((c) => c.truthPositive);
  const segmentation: Record<string, MetricStats> = {};
  for (const key of SEGMENTATION_KEYS)
    segmentation[key] = metricStats(positives.map((c) => c.metrics[key]));
  const perLabel = perLabelSummary(cases);
  const tp = cases.filter((c) => c.truthPositive && c.predictedPositive).length;
  const fn = cases.filter((c) => c.truthPositive && !c.predictedPositive).length;
  const fp = cases.filter((c) => !c.truthPositive && c.predictedPositive).length;
  const tn = cases.filter((c) => !c.truthPositive && !c.predictedPositive).length;
  const scores = cases.map((c) => c.score);
  const labels = cases.map((c) => (c.truthPositive ? 1 : 0));
  const bothClasses = tp + fn > 0 && fp + tn > 0;
  const a = positives.map((c) => c.metrics.truthVolumeMl);
  const b = positives.map((c) => c.metrics.predictedVolumeMl);
  return {
    cases: cases.length,
    missingPredictions: cases.filter((c) => c.missingPrediction).map((c) => c.id),
    resampledCases: cases.filter((c) => c.resampled).map((c) => c.id),
    notAssessableCases: cases.filter((c) => c.notAssessable).map((c) => c.id),
    segmentation,
    perLabel,
    detection: aggregateDetection(cases.map((c) => c.detection)),
    patient: {
      atModelDecision: confusionStats({ tp, fp, tn, fn }),
      ...(bothClasses
        ? {
            roc: rocCurve({ scores, labels }),
            auc: bootstrapAuc({
              scores,
              labels,
              seed: options.seed ?? 1,
              iterations: options.bootstrapIterations ?? 2000,
            }),
            operatingPoint: operatingPointForSensitivity({
              scores,
              labels,
              targetSensitivity: options.targetSensitivity ?? 0.99,
            }),
          }
        : { note: 'ROC and operating point need both positive and negative cases' }),
    },
    volume:
      positives.length >= 2
        ? { blandAltman: blandAltman({ a, b }), icc: icc({ a, b }), pearson: pearson({ a, b }) }
        : {},
  };
}

function perLabelSummary(cases: readonly CaseEvaluation[]): EvaluationSummary['perLabel'] {
  const withLabels = cases.filter((c) => c.perLabel);
  if (withLabels.length === 0) return undefined;
  const names = [...new Set(withLabels.flatMap((c) => c.perLabel!.perLabel.map((l) => l.name)))];
  const out: Record<string, Record<string, MetricStats>> = {};
  for (const name of names) {
    // Per label, over cases where that label is present in the truth.
    const entries = withLabels
      .map((c) => c.perLabel!.perLabel.find((l) => l.name === name))
      .filter((l) => l !== undefined && l.truthVolumeMl > 0);
    out[name] = {};
    for (const key of SEGMENTATION_KEYS) out[name][key] = metricStats(entries.map((l) => l![key]));
  }
  return out;
}
