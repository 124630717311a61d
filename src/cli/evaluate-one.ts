/**
 * One case of `neurotriage evaluate`: reads its truth and prediction label maps (resampling the
 * prediction onto the truth grid when asked), the triage of its report, and evaluates it.
 */
import { connectedComponents } from '../core/connected-components.js';
import { UserInputError } from '../core/errors.js';
import { sameGeometry } from '../core/geometry.js';
import { resample } from '../core/resample.js';
import type { Volume } from '../core/volume.js';
import { type CaseEvaluation, evaluateCase } from '../eval/evaluate-case.js';
import { type EvaluationCase, readTriage } from '../io/evaluation-inputs.js';
import { readNiftiFile } from '../io/nifti/nifti-file.js';
import { ICH_LABELS } from '../synth/synth-case.js';

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
    // A not-assessable study (issue 25) counts as a positive call: it goes to a radiologist and
    // is never ruled out, so it can never be a true negative (nor a missed positive). It is also
    // listed on its own (summary.notAssessableCases) so that the share is visible.
    predictedPositive: triage.state === undefined ? triage.positive : triage.state !== 'negative',
    notAssessable: triage.state === 'not assessable',
    missingPrediction: !c.predictionPath,
    resampled,
  });
  return { evaluation, source: c };
}
