/**
 * `evaluate --update-card card.json`: writes what was measured into the model card — the
 * operating point chosen for the target sensitivity (threshold on the model's triage score) and
 * the headline metrics with the data they were measured on. The ONNX file and its sha256 are
 * untouched; the card is rewritten atomically and re-validated.
 *
 * An operating point that reaches the target sensitivity only by calling every case positive
 * (specificity 0 on the evaluation set) is not a triage rule: the card then keeps no threshold
 * (analyze calls a scan positive when a lesion is segmented), and the evaluation records that
 * the target was not reachable, with what the model's own decision measured. Nor is one below
 * MIN_THRESHOLD: a decision on the model's faintest output (reports round the score to four
 * decimals; infarct candidate 0.4.0 "reached" sensitivity 23/23 at 0.0001, where 5/7 held-out
 * negatives scored 0.0001 or more) would not survive a new scanner.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { UserInputError } from '../core/errors.js';
import type { EvaluationSummary } from '../eval/evaluation-summary.js';
import { parseModelCard } from '../models/model-card.js';

/** Lowest triage threshold a card may carry (a probability). */
export const MIN_THRESHOLD = 0.01;

const r4 = (x: number | undefined) =>
  x === undefined || !Number.isFinite(x) ? null : Math.round(x * 1e4) / 1e4;

const ci = (s: { estimate: number; low: number; high: number }) => ({
  estimate: r4(s.estimate),
  ci95: [r4(s.low), r4(s.high)],
});

export function updateModelCard(options: {
  readonly cardPath: string;
  readonly summary: EvaluationSummary;
  readonly dataDescription: string;
}): { readonly note?: string } {
  const { cardPath, summary } = options;
  const card = JSON.parse(readFileSync(cardPath, 'utf8')) as Record<string, unknown>;
  const op = summary.patient.operatingPoint;
  if (!op)
    throw new UserInputError(
      'cannot set an operating point: the evaluation set needs positive and negative cases',
    );
  const seg = summary.segmentation;
  const threshold = op.threshold === Infinity ? 1 : Math.min(1, Math.max(0, op.threshold));
  const everyCase = op.specificity.estimate === 0;
  const faint = threshold < MIN_THRESHOLD;
  const degenerate = everyCase || faint;
  const why = everyCase
    ? `where every case is called positive (specificity 0 on ${summary.cases} cases)`
    : `below ${MIN_THRESHOLD}, the model's faintest output (specificity ${r4(op.specificity.estimate)} there would not survive a new scanner)`;
  const note = degenerate
    ? `sensitivity ≥ ${op.targetSensitivity} is reached only at threshold ${r4(threshold)}, ${why}: no operating point is set; positive = a lesion is segmented`
    : undefined;
  card.operatingPoint = degenerate ? null : { threshold, targetSensitivity: op.targetSensitivity };
  const decision = summary.patient.atModelDecision;
  card.evaluation = {
    data: options.dataDescription,
    cases: summary.cases,
    casesWithLesion: seg.dice?.n ?? 0,
    dice: { mean: r4(seg.dice?.mean), median: r4(seg.dice?.median) },
    lesionF1: { mean: r4(seg.lesionF1?.mean) },
    absVolumeDiffMl: { mean: r4(seg.absVolumeDiffMl?.mean) },
    hd95Mm: { median: r4(seg.hd95Mm?.median) },
    detection: {
      overall: r4(summary.detection.overall.sensitivity),
      bySize: Object.fromEntries(
        Object.entries(summary.detection.bySize).map(([k, s]) => [
          k,
          { detected: s.detected, lesions: s.lesions },
        ]),
      ),
      falsePositivesPerCase: r4(summary.detection.falsePositivesPerCase),
    },
    patientLevel: {
      auc: r4(summary.patient.auc?.auc),
      aucCi95: [r4(summary.patient.auc?.low), r4(summary.patient.auc?.high)],
      atModelDecision: {
        sensitivity: ci(decision.sensitivity),
        specificity: ci(decision.specificity),
      },
      targetSensitivity: {
        target: op.targetSensitivity,
        reachable: !degenerate,
        threshold: r4(threshold),
        ...(note !== undefined && { note }),
      },
      atOperatingPoint: {
        sensitivity: r4(op.sensitivity.estimate),
        sensitivityCi95: [r4(op.sensitivity.low), r4(op.sensitivity.high)],
        specificity: r4(op.specificity.estimate),
        specificityCi95: [r4(op.specificity.low), r4(op.specificity.high)],
      },
    },
  };
  const text = `${JSON.stringify(card, null, 2)}\n`;
  parseModelCard(text);
  writeFileSync(`${cardPath}.partial`, text);
  renameSync(`${cardPath}.partial`, cardPath);
  // A note only when no operating point was set: why.
  return note === undefined ? {} : { note };
}
