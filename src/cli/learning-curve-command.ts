/**
 * `neurotriage experiment learning-curve --task ich|infarct --sizes 25,50,100 --out DIR
 * [--config FILE] [--steps N] [--test-cases N] [--seed S] [--spacing MM]`: how many cases are
 * enough? Trains one model per training-set size N (the first N training cases of one set of
 * arrays, so smaller sets are nested in larger ones; the same validation cases and the same
 * steps for every N), measures each on one held-out set from the external site, and plots
 * Dice and lesion-wise F1 against N (`learning-curve.png`, `learning-curve.json`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UserInputError } from '../core/errors.js';
import type { EvaluationSummary } from '../eval/evaluation-summary.js';
import { encodePng } from '../io/png.js';
import { rasterLineChart } from '../render/line-chart-raster.js';
import { CT_SITES, MR_SITES } from '../synth/sites.js';
import { runHoldout } from './holdout-command.js';
import { RESEARCH_NOTICE } from './notice.js';
import { MANIFEST_NAME, runSynth } from './synth-command.js';
import { writeTrainingArrays } from './train-arrays.js';
import { runTrain } from './train-command.js';

export interface LearningCurveOptions {
  readonly task: string;
  /** Comma-separated training-set sizes, e.g. "25,50,100". */
  readonly sizes: string;
  readonly out: string;
  readonly config?: string;
  readonly steps?: number;
  readonly testCases?: number;
  readonly seed?: number;
  readonly spacing?: number;
  readonly data?: string;
}

export interface LearningCurvePoint {
  readonly trainingCases: number;
  readonly diceMean: number;
  readonly diceMedian: number;
  readonly lesionF1Mean: number;
  readonly absVolumeDiffMlMedian: number;
  readonly auc: number | null;
  readonly sensitivity: number;
  readonly specificity: number;
}

/** Seed of the held-out external-site cases (the same one the model cards use). */
const TEST_SEED = 900;
/** Validation cases shared by every size (enough for the curve in the training log). */
const VALIDATION_CASES = 8;

export function parseSizes(text: string): number[] {
  const sizes = text.split(',').map((s) => Number(s.trim()));
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n < 1))
    throw new UserInputError(`--sizes must be positive integers separated by commas (got ${text})`);
  return [...new Set(sizes)].sort((a, b) => a - b);
}

interface IndexCase {
  id: string;
  image: string;
  label: string;
  split: string;
}

/** index.json of the first `n` training cases (and the shared validation cases), paths relative. */
function writeSubsetIndex(options: { arrays: string; dir: string; n: number }): void {
  const index = JSON.parse(readFileSync(join(options.arrays, 'index.json'), 'utf8')) as {
    cases: IndexCase[];
  } & Record<string, unknown>;
  const train = index.cases.filter((c) => c.split === 'train').slice(0, options.n);
  const val = index.cases.filter((c) => c.split === 'val').slice(0, VALIDATION_CASES);
  const rel = relative(options.dir, options.arrays);
  const cases = [...train, ...val].map((c) => ({
    ...c,
    image: join(rel, c.image),
    label: join(rel, c.label),
  }));
  mkdirSync(options.dir, { recursive: true });
  writeFileSync(
    join(options.dir, 'index.json'),
    `${JSON.stringify({ ...index, source: `${String(index.source)}; first ${train.length} training cases`, cases }, null, 2)}\n`,
  );
}

function pointOf(n: number, s: EvaluationSummary): LearningCurvePoint {
  const seg = s.segmentation;
  const decision = s.patient.atModelDecision;
  return {
    trainingCases: n,
    diceMean: seg.dice?.mean ?? NaN,
    diceMedian: seg.dice?.median ?? NaN,
    lesionF1Mean: seg.lesionF1?.mean ?? NaN,
    absVolumeDiffMlMedian: seg.absVolumeDiffMl?.median ?? NaN,
    auc: s.patient.auc?.auc ?? null,
    sensitivity: decision.sensitivity.estimate,
    specificity: decision.specificity.estimate,
  };
}

export function writeLearningCurvePlot(
  path: string,
  task: string,
  points: readonly LearningCurvePoint[],
): void {
  const series = (
    name: string,
    key: 'diceMean' | 'lesionF1Mean',
    colour: [number, number, number],
  ) => ({
    name,
    colour,
    points: points.map((p) => [p.trainingCases, Number.isFinite(p[key]) ? p[key] : 0] as const),
  });
  const img = rasterLineChart(
    [
      series('Dice (mean, lesion cases)', 'diceMean', [31, 119, 180]),
      series('lesion-wise F1 (mean)', 'lesionF1Mean', [214, 39, 40]),
    ],
    {
      title: `LEARNING CURVE ${task.toUpperCase()}`,
      xLabel: 'training cases (log scale)',
      yLabel: 'score',
      logX: true,
      yRange: [0, 1],
      markers: true,
    },
  );
  writeFileSync(
    path,
    encodePng({ width: img.width, height: img.height, channels: 3, pixels: img.pixels }),
  );
}

export async function runLearningCurve(
  options: LearningCurveOptions,
): Promise<LearningCurvePoint[]> {
  if (options.task !== 'ich' && options.task !== 'infarct')
    throw new UserInputError(`--task must be ich or infarct (got ${options.task})`);
  const task = options.task;
  const sizes = parseSizes(options.sizes);
  const out = resolve(options.out);
  const seed = options.seed ?? 1;
  const largest = sizes[sizes.length - 1]!;
  // Every tenth case is validation: enough cases for `largest` training cases.
  const arrays = join(out, 'arrays');
  if (!existsSync(join(arrays, 'index.json'))) {
    const s = options.spacing ?? 2;
    await writeTrainingArrays({
      task,
      cases: Math.max(Math.ceil((largest * 10) / 9), largest + 1),
      seed,
      spacingMm: [s, s, s],
      out: arrays,
      data: options.data,
    });
  }
  const test = join(out, 'test');
  if (!existsSync(join(test, MANIFEST_NAME))) {
    const site = (task === 'ich' ? CT_SITES : MR_SITES).find((x) => x.external)!.name;
    await runSynth({
      task,
      n: options.testCases ?? 30,
      seed: TEST_SEED,
      site,
      out: test,
      data: options.data,
    });
  }
  const points: LearningCurvePoint[] = [];
  for (const n of sizes) {
    const dir = join(out, `n-${n}`);
    writeSubsetIndex({ arrays, dir: join(dir, 'arrays'), n });
    await runTrain({
      task,
      out: dir,
      arrays: join(dir, 'arrays'),
      config: options.config,
      steps: options.steps,
      seed,
    });
    const summary = await runHoldout({
      model: join(dir, 'model'),
      truth: test,
      out: join(dir, 'holdout'),
    });
    points.push(pointOf(n, summary));
  }
  const result = {
    notice: RESEARCH_NOTICE,
    task,
    sizes,
    steps: options.steps ?? null,
    config: options.config ?? null,
    test: `${options.testCases ?? 30} synthetic cases from the external site, seed ${TEST_SEED}`,
    points,
  };
  writeFileSync(join(out, 'learning-curve.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeLearningCurvePlot(join(out, 'learning-curve.png'), task, points);
  process.stdout.write(
    `${points.map((p) => `n=${p.trainingCases}: Dice ${p.diceMean.toFixed(3)}, lesion F1 ${p.lesionF1Mean.toFixed(3)}, AUC ${p.auc?.toFixed(3) ?? '–'}`).join('\n')}\nwrote ${join(out, 'learning-curve.png')} and learning-curve.json\n${RESEARCH_NOTICE}\n`,
  );
  return points;
}
