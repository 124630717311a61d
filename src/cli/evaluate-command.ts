/**
 * `neurotriage evaluate --truth DIR|MANIFEST --pred DIR [--json] [--html report.html]
 * [--resample] [--target-sensitivity 0.99]`: the metrics of every case and the pooled numbers a
 * stroke-AI paper reports, as text, JSON and a self-contained HTML report.
 */
import { writeFileSync } from 'node:fs';
import { connectedComponents } from '../core/connected-components.js';
import { UserInputError } from '../core/errors.js';
import { sameGeometry } from '../core/geometry.js';
import { resample } from '../core/resample.js';
import type { Volume } from '../core/volume.js';
import { type CaseEvaluation, evaluateCase } from '../eval/evaluate-case.js';
import { type EvaluationSummary, summariseEvaluation } from '../eval/evaluation-summary.js';
import { type EvaluationCase, listEvaluationCases, readTriage } from '../io/evaluation-inputs.js';
import { readNiftiFile } from '../io/nifti/nifti-file.js';
import { renderEvaluationHtml } from '../render/evaluation-report.js';
import { ICH_LABELS } from '../synth/synth-case.js';
import { updateModelCard } from './evaluate-card.js';
import { evaluationOverlays } from './evaluate-overlays.js';
import { formatEvaluationText } from './evaluate-text.js';
import { RESEARCH_NOTICE } from './notice.js';
import { progressBar } from './progress.js';

export interface EvaluateOptions {
  readonly truth: string;
  readonly pred: string;
  readonly json?: boolean;
  readonly html?: string;
  readonly resample?: boolean;
  readonly targetSensitivity?: number;
  readonly seed?: number;
  /** Write the operating point and headline metrics into this model card. */
  readonly updateCard?: string;
}

function readLabel(path: string): Volume {
  const v = readNiftiFile(path).volumes[0];
  if (!v) throw new UserInputError(`${path} holds no volume`);
  return v;
}

/** Region of each truth voxel from the manifest's per-lesion hints (component containing the hint). */
function regionLookup(
  c: EvaluationCase,
  truth: Volume,
): ((voxel: number) => string | undefined) | undefined {
  if (!c.lesions?.length) return undefined;
  const [nx, ny] = truth.geometry.shape;
  const cc = connectedComponents(truth.data, truth.geometry.shape);
  const byComponent = new Map<number, string>();
  for (const l of c.lesions) {
    const [i, j, k] = l.voxel;
    const comp = cc.labels[i + nx * (j + ny * k)];
    if (comp && l.region) byComponent.set(comp, l.region);
  }
  return (v) => byComponent.get(cc.labels[v]!);
}

function labelNames(truth: Volume): Readonly<Record<number, string>> | undefined {
  let max = 0;
  for (let n = 0; n < truth.data.length; n++) if (truth.data[n]! > max) max = truth.data[n]!;
  return max > 1 && max <= 6 ? ICH_LABELS : undefined;
}

export interface LoadedCase {
  readonly evaluation: CaseEvaluation;
  readonly source: EvaluationCase;
}

export function evaluateOne(c: EvaluationCase, options: { resample?: boolean }): LoadedCase {
  const truth = readLabel(c.truthPath);
  let prediction: Volume;
  let resampled = false;
  if (!c.predictionPath) {
    prediction = { ...truth, data: new Uint8Array(truth.data.length) };
  } else {
    prediction = readLabel(c.predictionPath);
    if (!sameGeometry(prediction.geometry, truth.geometry, 1e-2)) {
      if (!options.resample)
        throw new UserInputError(
          `${c.id}: prediction grid ${prediction.geometry.shape.join('×')} at ${prediction.geometry.spacingMm.map((s) => s.toFixed(2)).join('×')} mm ` +
            `differs from the truth grid ${truth.geometry.shape.join('×')} at ${truth.geometry.spacingMm.map((s) => s.toFixed(2)).join('×')} mm; ` +
            'pass --resample to resample predictions onto the truth grid (nearest neighbour)',
        );
      prediction = resample(prediction, { target: truth.geometry, interpolation: 'nearest' });
      resampled = true;
    }
  }
  const triage = readTriage(c.reportPath);
  const evaluation = evaluateCase({
    id: c.id,
    truth: truth.data,
    prediction: prediction.data,
    shape: truth.geometry.shape,
    spacingMm: truth.geometry.spacingMm,
    labels: labelNames(truth),
    regionOf: regionLookup(c, truth),
    score: triage.score,
    predictedPositive: triage.positive,
    missingPrediction: !c.predictionPath,
    resampled,
  });
  return { evaluation, source: c };
}

export async function runEvaluate(options: EvaluateOptions): Promise<EvaluationSummary> {
  const cases = listEvaluationCases({ truth: options.truth, prediction: options.pred });
  const bar = progressBar('evaluate');
  const loaded: LoadedCase[] = [];
  try {
    cases.forEach((c, n) => {
      loaded.push(evaluateOne(c, options));
      bar.onProgress(n + 1, cases.length);
    });
  } finally {
    bar.stop();
  }
  const evaluations = loaded.map((l) => l.evaluation);
  const summary: EvaluationSummary = summariseEvaluation(evaluations, {
    targetSensitivity: options.targetSensitivity,
    seed: options.seed,
  });
  const notes = [
    ...(summary.missingPredictions.length
      ? [
          `${summary.missingPredictions.length} case(s) had no prediction and count as empty: ${summary.missingPredictions.join(', ')}`,
        ]
      : []),
    ...(summary.resampledCases.length
      ? [
          `${summary.resampledCases.length} prediction(s) were resampled onto the truth grid (nearest neighbour): ${summary.resampledCases.join(', ')}`,
        ]
      : []),
  ];
  if (options.updateCard) {
    const update = updateModelCard({
      cardPath: options.updateCard,
      summary,
      dataDescription: `truth ${options.truth}; predictions ${options.pred}`,
    });
    if (update.note) notes.push(`model card: ${update.note}`);
  }
  if (options.html) {
    const html = renderEvaluationHtml({
      title: 'NeuroTriage evaluation',
      summary,
      cases: evaluations,
      sources: [`truth: ${options.truth}`, `predictions: ${options.pred}`],
      notes,
      overlays: evaluationOverlays(loaded),
      generatedBy: 'Generated by neurotriage evaluate.',
    });
    writeFileSync(options.html, html);
  }
  if (options.json) {
    const { roc, ...patient } = summary.patient;
    process.stdout.write(
      `${JSON.stringify({ notice: RESEARCH_NOTICE, truth: options.truth, predictions: options.pred, notes, summary: { ...summary, patient: { ...patient, rocPoints: roc?.points.length } }, cases: evaluations.map(({ detection, ...rest }) => ({ ...rest, detection: { rows: detection.rows, falsePositiveLesions: detection.falsePositiveLesions } })) }, jsonNumbers, 2)}\n`,
    );
  } else {
    process.stdout.write(formatEvaluationText(summary, notes));
    if (options.html) process.stdout.write(`wrote ${options.html}\n`);
    process.stdout.write(`${RESEARCH_NOTICE}\n`);
  }
  return summary;
}

/** JSON has no NaN/Infinity: write them as null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
