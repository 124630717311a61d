/**
 * `neurotriage analyze <inputs...> --out DIR [--task auto|ich|infarct] [--model DIR] [--json]
 * [--tta] [--min-lesion-ml ML] [--dicom-out DIR] [--series ID,…]`: reads the inputs, picks the series and the
 * task, runs `analyzeStudy` with this process's resources, writes the outputs
 * (host/analyze-outputs.ts) and prints a short summary (or the report with --json).
 */
import { UserInputError } from '../core/errors.js';
import { type CatalogEntry, openCatalog } from '../io/series-catalog.js';
import { analyzeStudy } from '../pipeline/analyze-study.js';
import type { Resources } from '../pipeline/resources.js';
import { type TaskChoice, selectInputs } from '../pipeline/select-inputs.js';
import { formatSummary } from '../report/format-summary.js';
import { writeAnalysisOutputs } from '../host/analyze-outputs.js';
import { entriesWithBValue } from './b-value-inputs.js';
import { nodeResources } from '../host/node-resources.js';
import { progressBar } from './progress.js';

export { DEFAULT_MODEL_DIRS, modelDirFor } from '../host/node-resources.js';

export interface AnalyzeCommandOptions {
  readonly out: string;
  readonly task?: string;
  readonly model?: string;
  readonly json?: boolean;
  readonly tta?: boolean;
  readonly minLesionMl?: number;
  /** Infarct: the restriction check's ratio (default the card's, else none). */
  readonly maxRelativeAdc?: number;
  /** Also write DICOM SEG, SR and key images here (DICOM input only). */
  readonly dicomOut?: string;
  /** The inputs are a DWI at this b-value and a b0, NIfTI without .bval sidecars. */
  readonly bValue?: number;
  /** Use only these series (catalog ids, UIDs or unique prefixes, series numbers). */
  readonly series?: readonly string[];
}

function parseTask(value: string | undefined): TaskChoice {
  const task = value ?? 'auto';
  if (task !== 'auto' && task !== 'ich' && task !== 'infarct')
    throw new UserInputError(`--task must be auto, ich or infarct, got '${task}'`);
  return task;
}

/**
 * Runs one analysis. `resources` (models, templates, atlases) may be shared by several calls in
 * one process (e.g. `holdout`); by default they are made here and released at the end.
 */
export async function runAnalyze(
  inputs: readonly string[],
  options: AnalyzeCommandOptions,
  shared?: Resources,
): Promise<void> {
  const started = performance.now();
  const task = parseTask(options.task);
  if (inputs.length === 0) throw new UserInputError('give at least one input path');
  const entries: CatalogEntry[] = [];
  const skipped: string[] = [];
  if (options.bValue !== undefined) entries.push(...entriesWithBValue(inputs, options.bValue));
  else
    for (const path of inputs) {
      const catalog = openCatalog(path);
      entries.push(...catalog.entries);
      skipped.push(...catalog.skipped.map((s) => `${s.name}: ${s.reason}`));
    }
  if (entries.length === 0)
    throw new UserInputError(
      `no image series found in ${inputs.join(', ')}${skipped.length ? ` (${skipped.slice(0, 3).join('; ')})` : ''}`,
    );
  const selected = await selectInputs({
    entries,
    task,
    ...(options.series?.length && { series: options.series }),
  });
  // DICOM outputs must reference the source study; NIfTI has no study to file them into.
  if (options.dicomOut !== undefined && !selected.sources?.length)
    throw new UserInputError(
      `--dicom-out needs DICOM input (the SEG, SR and key images reference the source study), but ${selected.description} is not DICOM`,
    );
  const readMs = performance.now() - started;

  const resources = shared ?? nodeResources({ ...(options.model && { model: options.model }) });
  const bar = progressBar('inference');
  let analysis;
  try {
    analysis = await analyzeStudy({ images: selected.images, task: selected.task }, resources, {
      tta: options.tta ?? false,
      ...(options.minLesionMl !== undefined && { minLesionMl: options.minLesionMl }),
      ...(options.maxRelativeAdc !== undefined && { maxRelativeAdc: options.maxRelativeAdc }),
      onProgress: ({ stage, fraction }) => {
        if (stage === 'inference') bar.onProgress(Math.round(fraction * 1000), 1000);
      },
    });
  } finally {
    bar.stop();
    if (!shared) await resources.release();
  }
  const report = writeAnalysisOutputs(analysis, {
    out: options.out,
    ...(options.dicomOut !== undefined && { dicomOut: options.dicomOut }),
    paths: inputs,
    selection: selected,
    timingsMs: { read: Math.round(readMs * 10) / 10 },
    started,
  });
  process.stdout.write(
    options.json ? `${JSON.stringify(report, null, 2)}\n` : formatSummary(report),
  );
}
