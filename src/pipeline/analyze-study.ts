/**
 * The one analysis use case, the same for the CLI, a service worker and a browser worker:
 * `analyzeStudy(input, resources, options) → Analysis`. It takes the selected images (Volumes,
 * never paths), gets the task's model, templates and atlases from `resources` (loaded once per
 * process), prints nothing (progress is `onProgress({ stage, fraction })`), and reads every
 * task difference from the `TaskSpec` built from the model card:
 *
 * model → registration to the task's template → brain mask → segmentation (segment-study.ts;
 * mirroring TTA on the card's axes) → localisation and the task's measurements → `Analysis`.
 * `report` turns an `Analysis` into report.json, FHIR, DICOM and pictures.
 */
import { UserInputError } from '../core/errors.js';
import { sameGeometry } from '../core/geometry.js';
import { resample } from '../core/resample.js';
import type { Volume } from '../core/volume.js';
import { normaliseAdc } from '../preprocess/diffusion-maps.js';
import type { ModelCard } from '../models/model-card.js';
import { assessCtImage } from './assessment/ct-quality.js';
import { assessDiffusionImages } from './assessment/diffusion-quality.js';
import {
  type Assessment,
  type ImageCheck,
  type TriageState,
  assessStudy,
  assessedSummary,
  triageState,
} from './assessment/assess-study.js';
import { type Findings, brainMaskFor, locateFindings, registerStudy } from './locate-findings.js';
import type { Resources } from './resources.js';
import { DEFAULT_MIN_LESION_ML, type Segmentation, segmentStudy } from './segment-study.js';
import type { Task } from './select-inputs.js';
import type { TaskSpec } from './task-spec.js';

export type AnalysisStage =
  | 'model'
  | 'registration'
  | 'brainMask'
  | 'prepare'
  | 'inference'
  | 'native'
  | 'postprocess'
  | 'localisation';

export interface AnalysisProgress {
  readonly stage: AnalysisStage;
  /** 0…1 within the stage. */
  readonly fraction: number;
}

export interface AnalysisInput {
  /** The model's input images in the card's channel order ([ct] or [dwi, adc]), native grids. */
  readonly images: readonly Volume[];
  readonly task: Task;
}

export interface AnalysisOptions {
  /** Mirroring test-time augmentation on the card's axes (the flips it was trained with). */
  readonly tta?: boolean;
  /** Lesions smaller than this are removed; default 0.01 mL. */
  readonly minLesionMl?: number;
  /** Triage threshold; default the card's operating point. */
  readonly threshold?: number;
  /**
   * Infarct: keep a lesion only when its median ADC ≤ this × the scan's normal-tissue ADC
   * (pipeline/restriction-gate.ts). Default the card's `postprocessing.maxRelativeAdc`, else none.
   */
  readonly maxRelativeAdc?: number;
  readonly onProgress?: (progress: AnalysisProgress) => void;
  /** Checked between stages; an aborted analysis rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface Analysis {
  readonly task: Task;
  readonly spec: TaskSpec;
  readonly card: ModelCard;
  /** Where the model came from (a folder, a URL), for the report. */
  readonly modelSource: string;
  /** The analysed images (the first one's grid is the labels' grid). */
  readonly images: readonly Volume[];
  readonly segmentation: Segmentation;
  readonly findings: Findings;
  /** Whether the study could be judged, why not, and what the scan covers. */
  readonly assessment: Assessment;
  /** positive / negative / not assessable (a not-assessable study is never negative). */
  readonly state: TriageState;
  /** Whether the brain mask was applied (it needs an accepted registration). */
  readonly brainMaskApplied: boolean;
  readonly tta: boolean;
  readonly minLesionMl: number;
  readonly warnings: readonly string[];
  /** Milliseconds: loadModel, brainMask, prepare, inference, native, postprocess, registration, localisation. */
  readonly timingsMs: Readonly<Record<string, number>>;
}

export async function analyzeStudy(
  input: AnalysisInput,
  resources: Resources,
  options: AnalysisOptions = {},
): Promise<Analysis> {
  const { images, task } = input;
  const first = images[0];
  if (!first) throw new UserInputError('analyzeStudy: no images');
  const signal = options.signal;
  const step = (stage: AnalysisStage, fraction: number) => {
    signal?.throwIfAborted();
    options.onProgress?.({ stage, fraction });
  };
  step('model', 0);
  let t = performance.now();
  const { model, spec } = await resources.model(task);
  if (model.card.task !== task)
    throw new UserInputError(
      `the model in ${model.source} is for task '${model.card.task}' but the input calls for '${task}'`,
    );
  const loadModelMs = performance.now() - t;

  // Registration first: its brain mask removes lesions outside the head's brain before triage.
  step('registration', 0);
  const registered = registerStudy({ spec, image: first, resources });
  step('brainMask', 0);
  t = performance.now();
  const inside = brainMaskFor({ registered, geometry: first.geometry, resources });
  const brainMaskMs = performance.now() - t;

  const tta = options.tta ?? false;
  const minLesionMl = options.minLesionMl ?? DEFAULT_MIN_LESION_ML;
  step('prepare', 0);
  const maxRelativeAdc = options.maxRelativeAdc ?? model.card.postprocessing?.maxRelativeAdc;
  // The ADC on the DWI grid, made once: the restriction check and the image checks read it.
  const adcMm2PerS = task === 'infarct' ? adcOnGrid(images) : undefined;
  const restriction = maxRelativeAdc !== undefined ? adcMm2PerS : undefined;
  const segmentation = await segmentStudy({
    images,
    task,
    model: { card: model.card, run: model.run },
    options: {
      tta,
      mirrorAxes: spec.mirrorAxes,
      minLesionMl,
      ...(options.threshold !== undefined && { threshold: options.threshold }),
      ...(restriction && { maxRelativeAdc }),
    },
    ...(inside && { inside }),
    ...(restriction && { adcMm2PerS: restriction }),
    onProgress: (stage, done, total) => {
      signal?.throwIfAborted();
      options.onProgress?.({ stage, fraction: total > 0 ? done / total : 1 });
    },
  });

  step('localisation', 0);
  const located = locateFindings({
    spec,
    images,
    labelsNative: segmentation.labelsNative,
    native: segmentation.native,
    volumesMl: segmentation.volumesMl,
    totalLesionMl: segmentation.totalLesionMl,
    lesionCount: segmentation.lesionCount,
    positive: segmentation.triage.positive,
    registered,
    resources,
  });
  step('localisation', 1);
  t = performance.now();
  const assessment = assessStudy({
    task,
    images,
    registered,
    lobeAtlas: () => resources.lobeAtlas(),
    brainMask: () => resources.brainMask(),
    ...(inside && { inside }),
    imageCheck: ({ inside: mask }) =>
      finiteMeasures(
        adcMm2PerS
          ? assessDiffusionImages({
              dwi: images[0]!,
              adc: { ...images[0]!, data: adcMm2PerS },
              ...(mask && { inside: mask }),
            })
          : assessCtImage({ ct: images[0]!, ...(mask && { inside: mask }) }),
      ),
  });
  const assessmentMs = performance.now() - t;
  const state = triageState(segmentation.triage.positive, assessment);
  const findings = {
    ...located.findings,
    summary: assessedSummary({ summary: located.findings.summary, state, assessment }),
  };
  return {
    task,
    spec,
    card: model.card,
    modelSource: model.source,
    images,
    segmentation,
    findings,
    assessment,
    state,
    brainMaskApplied: inside !== undefined,
    tta,
    minLesionMl,
    warnings: located.warnings,
    timingsMs: {
      loadModel: ms(loadModelMs),
      brainMask: ms(brainMaskMs),
      ...segmentation.timingsMs,
      ...located.timingsMs,
      assessment: ms(assessmentMs),
    },
  };
}

/** Measures as JSON-safe numbers (a check reports NaN for what it could not measure). */
function finiteMeasures(check: { measures: object; reasons: ImageCheck['reasons'] }): ImageCheck {
  const measures = Object.fromEntries(
    Object.entries(check.measures).filter(
      (e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]),
    ),
  );
  return { measures, reasons: check.reasons };
}

/** The ADC channel (the second image) in mm²/s on the first image's grid. */
function adcOnGrid(images: readonly Volume[]): Float32Array {
  const [dwi, adc] = images;
  if (!dwi || !adc) throw new UserInputError('the infarct analysis needs DWI and ADC images');
  const mm2 = normaliseAdc(adc);
  if (sameGeometry(mm2.geometry, dwi.geometry)) return mm2.data;
  return resample(mm2, { target: dwi.geometry, interpolation: 'linear' }).data as Float32Array;
}

function ms(x: number): number {
  return Math.round(x * 10) / 10;
}
