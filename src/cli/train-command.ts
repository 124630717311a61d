/**
 * `neurotriage train --task ich|infarct --out DIR [--cases N] [--seed S] [--spacing MM]
 * [--arrays DIR] [--config FILE] [--from CHECKPOINT] [--steps N]`: training arrays (synthetic,
 * same preprocessing as inference) → PyTorch (`training/`, Debian's /usr/bin/python3) with a
 * progress bar → ONNX + model card → loss/validation curves as PNG.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserInputError } from '../core/errors.js';
import { encodePng } from '../io/png.js';
import { rasterLineChart } from '../render/line-chart-raster.js';
import type { SynthTask } from '../synth/synth-case.js';
import { RESEARCH_NOTICE } from './notice.js';
import { progressBar } from './progress.js';
import { loadDiffusionBackgrounds } from './real-backgrounds.js';
import { writeTrainingArrays } from './train-arrays.js';
import { dataRoot, packageRoot } from '../io/data-root.js';

export interface TrainOptions {
  readonly task: string;
  readonly out: string;
  readonly cases?: number;
  readonly seed?: number;
  readonly spacing?: number;
  readonly arrays?: string;
  readonly config?: string;
  readonly from?: string;
  readonly steps?: number;
  readonly data?: string;
  readonly realShare?: number;
  readonly holdOut?: string;
  readonly arraysOnly?: boolean;
}

const PYTHON = '/usr/bin/python3';

/** Runs a training module, turning its JSON progress lines into a progress bar. */
function runPython(args: string[], label: string): Promise<void> {
  return new Promise((done, fail) => {
    const bar = progressBar(label);
    const child = spawn(PYTHON, ['-m', ...args], { cwd: join(packageRoot(), 'training') });
    let buffered = '';
    let lastError = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const e = JSON.parse(line) as {
            event?: string;
            step?: number;
            of?: number;
            message?: string;
          };
          if (e.event === 'progress' && e.step !== undefined && e.of !== undefined)
            bar.onProgress(e.step, e.of);
          if (e.event === 'error') lastError = e.message ?? '';
        } catch {
          // not a JSON line: ignore
        }
      }
    });
    child.stderr.on(
      'data',
      (chunk: Buffer) => (lastError = chunk.toString().trim().split('\n').pop() ?? lastError),
    );
    child.on('error', (e) => {
      bar.stop();
      fail(
        new UserInputError(`cannot run ${PYTHON} (install Debian's python3-torch): ${e.message}`),
      );
    });
    child.on('close', (code) => {
      bar.stop();
      if (code === 0) done();
      else fail(new UserInputError(`training step failed: ${lastError || `exit code ${code}`}`));
    });
  });
}

function writeCurves(run: string, path: string): void {
  const lines = readFileSync(join(run, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  const loss = lines
    .filter((l) => typeof l.loss === 'number' && typeof l.step === 'number')
    .map((l) => [l.step as number, l.loss as number] as const);
  const val = lines
    .filter((l) => typeof l.mean_dice === 'number')
    .map((l) => [l.step as number, l.mean_dice as number] as const);
  const img = rasterLineChart(
    [
      { name: 'training loss', points: loss, colour: [214, 39, 40] },
      { name: 'validation Dice', points: val, colour: [31, 119, 180] },
    ],
    { title: 'TRAINING', xLabel: 'step', yLabel: 'loss / Dice' },
  );
  writeFileSync(
    path,
    encodePng({ width: img.width, height: img.height, channels: 3, pixels: img.pixels }),
  );
}

/**
 * The checkpoint to fine-tune from: a checkpoint file as given, or a shipped model folder
 * (model.onnx + card.json) read back into one (`neurotriage_train.from_onnx`, OUT/parent.pt).
 */
async function parentCheckpoint(from: string, out: string): Promise<string> {
  const path = resolve(from);
  if (!existsSync(join(path, 'card.json'))) return path;
  const ckpt = join(out, 'parent.pt');
  await runPython(['neurotriage_train.from_onnx', '--model', path, '--out', ckpt], 'from model');
  return ckpt;
}

/** The real backgrounds for --real-share (infarct only; a held-out scanner must be named). */
async function backgroundsFor(task: SynthTask, options: TrainOptions) {
  if (options.realShare === undefined) return undefined;
  if (task !== 'infarct') throw new UserInputError('--real-share is for --task infarct only');
  if (!(options.realShare > 0 && options.realShare <= 1))
    throw new UserInputError(`--real-share must be in (0, 1], got ${options.realShare}`);
  if (!options.holdOut)
    throw new UserInputError(
      '--real-share needs --hold-out: name the scanner(s) kept out of training as a test site, e.g. --hold-out dicom/dwi-siemens-xa30',
    );
  const exclude = options.holdOut.split(',').map((s) => s.trim());
  const { backgrounds, skipped } = await loadDiffusionBackgrounds({
    root: dataRoot(options.data),
    exclude,
  });
  for (const s of skipped) process.stderr.write(`background ${s.name} skipped: ${s.reason}\n`);
  if (backgrounds.length === 0)
    throw new UserInputError('no usable real diffusion background found');
  process.stderr.write(
    `real backgrounds: ${backgrounds.map((b) => b.name).join(', ')}; held out: ${exclude.join(', ')}\n`,
  );
  return { backgrounds, share: options.realShare };
}

export async function runTrain(options: TrainOptions): Promise<void> {
  if (options.task !== 'ich' && options.task !== 'infarct')
    throw new UserInputError(`--task must be ich or infarct (got ${options.task})`);
  const task: SynthTask = options.task;
  const out = resolve(options.out);
  const seed = options.seed ?? 1;
  let arrays = options.arrays ? resolve(options.arrays) : join(out, 'arrays');
  if (!options.arrays) {
    const realBackgrounds = await backgroundsFor(task, options);
    const bar = progressBar('arrays');
    const s = options.spacing ?? 2;
    arrays = await writeTrainingArrays({
      task,
      cases: options.cases ?? 40,
      seed,
      spacingMm: [s, s, s],
      out: arrays,
      data: options.data,
      onProgress: bar.onProgress,
      ...(realBackgrounds && { realBackgrounds }),
    });
    bar.stop();
    if (options.arraysOnly) {
      process.stdout.write(`training arrays: ${arrays}\n`);
      return;
    }
  } else if (!existsSync(join(arrays, 'index.json')))
    throw new UserInputError(`${arrays} has no index.json`);
  const run = join(out, 'run');
  const trainArgs = [
    'neurotriage_train.train',
    '--data',
    arrays,
    '--out',
    run,
    '--seed',
    String(seed),
  ];
  if (options.config) trainArgs.push('--config', resolve(options.config));
  // An existing checkpoint is resumed (the same command continues a killed run); --from only
  // seeds a new run.
  if (existsSync(join(run, 'checkpoint.pt'))) trainArgs.push('--resume');
  else if (options.from) trainArgs.push('--from', await parentCheckpoint(options.from, out));
  if (options.steps) trainArgs.push('--steps', String(options.steps));
  await runPython(trainArgs, 'training');
  const model = join(out, 'model');
  await runPython(
    [
      'neurotriage_train.export',
      '--checkpoint',
      join(run, 'checkpoint.pt'),
      '--out',
      join(model, 'model.onnx'),
      '--card',
      join(model, 'card.json'),
      '--name',
      `neurotriage-${task}`,
    ],
    'export',
  );
  writeCurves(run, join(out, 'curves.png'));
  process.stdout.write(
    `model: ${join(model, 'model.onnx')} (card ${join(model, 'card.json')}); log ${join(run, 'log.jsonl')}; curves ${join(out, 'curves.png')}\n${RESEARCH_NOTICE}\n`,
  );
}
