/**
 * `neurotriage analyze <inputs...> --out DIR [--task auto|ich|infarct] [--model DIR] [--json]
 * [--tta]`: picks the series and the task, checks the model against its card (sha256), runs
 * it, and writes DIR/labels.nii.gz and DIR/probability.nii.gz on the input's native grid,
 * DIR/report.json and DIR/overview.png; prints a short summary (or the report with --json).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { createVolume } from '../core/volume.js';
import { packageRoot } from '../io/data-root.js';
import { writeNiftiFile } from '../io/nifti/nifti-file.js';
import { type CatalogEntry, openCatalog } from '../io/series-catalog.js';
import type { ModelCard } from '../models/model-card.js';
import { verifyModelFile } from '../models/model-files.js';
import { loadOnnxModel } from '../models/onnx-model.js';
import { DEFAULT_MIN_LESION_ML, analyzeStudy } from '../pipeline/analyze.js';
import { triageHeadline } from '../pipeline/finding-summary.js';
import { type Task, type TaskChoice, selectInputs } from '../pipeline/select-inputs.js';
import { writeDicomOutputs } from './analyze-dicom-out.js';
import { overviewPng } from './analyze-overview.js';
import { ttaMirrorAxes } from '../models/tta-axes.js';
import { toFhirDiagnosticReport } from './fhir-report.js';
import { brainMaskFor, locateFindings, registerStudy } from './analyze-location.js';
import { buildReport, formatSummary } from './analyze-report.js';
import { progressBar } from './progress.js';

/** gzip level of the written maps: level 6 costs seconds on thin-slice grids for ~2× smaller files. */
const FAST_GZIP = 1;
/**
 * The probability map is stored as uint8 with scl_slope 1/255 (readers get float32 in [0, 1],
 * steps of 0.004): as float32 on a 0.6-mm grid, its sub-1 % noise made a 132-MB file that took
 * 4 s to compress; as uint8 it is ~3 MB in 0.1 s.
 */
const PROBABILITY_STORAGE = { datatype: 'uint8', sclSlope: 1 / 255, gzipLevel: FAST_GZIP } as const;

export interface AnalyzeCommandOptions {
  readonly out: string;
  readonly task?: string;
  readonly model?: string;
  readonly json?: boolean;
  readonly tta?: boolean;
  readonly minLesionMl?: number;
  /** Also write DICOM SEG, SR and key images here (DICOM input only). */
  readonly dicomOut?: string;
}

/** Default model folder of each task, inside the installed package. */
export const DEFAULT_MODEL_DIRS: Readonly<Record<Task, string>> = {
  ich: join('models', 'ich-ct'),
  infarct: join('models', 'infarct-dwi'),
};

function parseTask(value: string | undefined): TaskChoice {
  const task = value ?? 'auto';
  if (task !== 'auto' && task !== 'ich' && task !== 'infarct')
    throw new UserInputError(`--task must be auto, ich or infarct, got '${task}'`);
  return task;
}

/** The model folder for a task: --model, else the package's default; a clear error if absent. */
export function modelDirFor(task: Task, explicit: string | undefined): string {
  const dir = explicit ? resolve(explicit) : join(packageRoot(), DEFAULT_MODEL_DIRS[task]);
  if (!existsSync(join(dir, 'model.onnx')) || !existsSync(join(dir, 'card.json')))
    throw new UserInputError(
      `no model for task ${task} in ${explicit ? dir : `${DEFAULT_MODEL_DIRS[task]}/`} (needs model.onnx + card.json); train one with neurotriage train --task ${task} --out RUN and pass --model RUN/model`,
      'no-model',
    );
  return dir;
}

export async function runAnalyze(
  inputs: readonly string[],
  options: AnalyzeCommandOptions,
): Promise<void> {
  const started = performance.now();
  const task = parseTask(options.task);
  if (inputs.length === 0) throw new UserInputError('give at least one input path');
  const entries: CatalogEntry[] = [];
  const skipped: string[] = [];
  for (const path of inputs) {
    const catalog = openCatalog(path);
    entries.push(...catalog.entries);
    skipped.push(...catalog.skipped.map((s) => `${s.name}: ${s.reason}`));
  }
  if (entries.length === 0)
    throw new UserInputError(
      `no image series found in ${inputs.join(', ')}${skipped.length ? ` (${skipped.slice(0, 3).join('; ')})` : ''}`,
    );
  const selected = await selectInputs({ entries, task });
  // DICOM outputs must reference the source study; NIfTI has no study to file them into.
  if (options.dicomOut !== undefined && !selected.sources?.length)
    throw new UserInputError(
      `--dicom-out needs DICOM input (the SEG, SR and key images reference the source study), but ${selected.description} is not DICOM`,
    );
  const readMs = performance.now() - started;

  const modelDir = modelDirFor(selected.task, options.model);
  let t = performance.now();
  const { card, bytes } = await verifyModelFile(
    join(modelDir, 'card.json'),
    join(modelDir, 'model.onnx'),
  );
  checkCard(card, selected.task, modelDir);
  const onnx = await loadOnnxModel(bytes);
  const modelMs = performance.now() - t;

  // Registration first: its brain mask removes lesions outside the head's brain before triage.
  const registered = registerStudy({ task: selected.task, image: selected.images[0]! });
  t = performance.now();
  const inside = brainMaskFor({ registered, geometry: selected.images[0]!.geometry });
  const brainMaskMs = performance.now() - t;

  const bar = progressBar('inference');
  const minLesionMl = options.minLesionMl ?? DEFAULT_MIN_LESION_ML;
  let result;
  try {
    result = await analyzeStudy({
      images: selected.images,
      task: selected.task,
      model: { card, run: (patch, shape) => onnx.run(patch, shape) },
      options: { tta: options.tta ?? false, mirrorAxes: ttaMirrorAxes(card), minLesionMl },
      ...(inside && { inside }),
      onProgress: (_stage, done, total) => bar.onProgress(done, total),
    });
  } finally {
    bar.stop();
    await onnx.release();
  }

  const labelNames = Object.fromEntries(
    Object.entries(card.labels).map(([k, name]) => [Number(k), name]),
  );
  const located = locateFindings({
    task: selected.task,
    images: selected.images,
    labelsNative: result.labelsNative,
    native: result.native,
    labelNames,
    volumesMl: result.volumesMl,
    totalLesionMl: result.totalLesionMl,
    lesionCount: result.lesionCount,
    positive: result.triage.positive,
    registered,
  });

  t = performance.now();
  const out = resolve(options.out);
  mkdirSync(out, { recursive: true });
  const files = {
    labels: join(out, 'labels.nii.gz'),
    probability: join(out, 'probability.nii.gz'),
    report: join(out, 'report.json'),
    overview: join(out, 'overview.png'),
    fhir: join(out, 'report.fhir.json'),
  };
  writeNiftiFile(
    files.labels,
    createVolume(result.native, result.labelsNative, { modality: 'SEG', units: 'label' }),
    { description: `neurotriage ${selected.task} labels`, gzipLevel: FAST_GZIP },
  );
  writeNiftiFile(
    files.probability,
    createVolume(result.native, result.probabilityNative, { units: 'probability' }),
    {
      description: `neurotriage ${selected.task} lesion probability`,
      ...PROBABILITY_STORAGE,
    },
  );
  const first = selected.images[0]!;
  writeFileSync(
    files.overview,
    overviewPng({
      image: first,
      labels: result.labelsNative,
      labelNames,
      title: `${selected.task}: ${triageHeadline({ positive: result.triage.positive, totalLesionMl: result.totalLesionMl })}`,
    }),
  );
  const writeMs = performance.now() - t;

  const timingsMs: Record<string, number> = {
    read: ms(readMs),
    loadModel: ms(modelMs),
    brainMask: ms(brainMaskMs),
    ...result.timingsMs,
    ...located.timingsMs,
    write: ms(writeMs),
  };
  timingsMs.total = ms(performance.now() - started);
  let report = buildReport({
    paths: inputs,
    selected,
    card,
    modelPath: modelDir,
    result,
    minLesionMl,
    tta: options.tta ?? false,
    timingsMs,
    files,
    warnings: [...selected.warnings, ...located.warnings],
    extras: located.extras,
    brainMaskApplied: inside !== undefined,
  });
  if (options.dicomOut !== undefined && selected.sources) {
    t = performance.now();
    const dicomFiles = writeDicomOutputs({
      dir: resolve(options.dicomOut),
      report,
      sources: selected.sources,
      image: first,
      labels: result.labelsNative,
      labelNames,
    });
    timingsMs.dicom = ms(performance.now() - t);
    timingsMs.total = ms(performance.now() - started);
    report = { ...report, files: { ...report.files, ...dicomFiles }, timingsMs };
  }
  writeFileSync(files.report, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(
    files.fhir,
    `${JSON.stringify(toFhirDiagnosticReport(report, { issued: new Date().toISOString() }), null, 2)}\n`,
  );
  process.stdout.write(
    options.json ? `${JSON.stringify(report, null, 2)}\n` : formatSummary(report),
  );
}

function checkCard(card: ModelCard, task: Task, dir: string): void {
  if (card.task !== task)
    throw new UserInputError(
      `the model in ${dir} is for task '${card.task}' but the input calls for '${task}'`,
    );
}

function ms(x: number): number {
  return Math.round(x * 10) / 10;
}
