/**
 * `neurotriage synth --task ich|infarct --n N --seed S --out DIR [--site NAME] [--grid-spacing MM]
 * [--jobs J] [--dicom] [--report] [--gallery]`: writes synthetic cases (NIfTI images + label map
 * per case, optionally DICOM) and a manifest (JSON lines) whose volumes and counts are computed
 * from the label maps. Cases are made in worker threads; the output does not depend on how many.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { UserInputError } from '../core/errors.js';
import { dataRoot } from '../io/data-root.js';
import { loadSynthResources } from '../io/reference-data.js';
import type { SynthTask } from '../synth/synth-case.js';
import { siteNames } from '../synth/synthesize.js';
import { RESEARCH_NOTICE } from './notice.js';
import { progressBar } from './progress.js';
import { writeGallery } from './synth-gallery.js';
import {
  type SynthJobOptions,
  type SynthJobResult,
  jobBackground,
  runSynthJob,
} from './synth-job.js';
import { printAppearanceReport } from './synth-report.js';

export interface SynthCommandOptions {
  readonly task: string;
  readonly n: number;
  readonly seed: number;
  readonly out: string;
  readonly site?: string;
  readonly gridSpacing?: number;
  readonly report?: boolean;
  readonly gallery?: boolean;
  /** Also write each image as a DICOM series. */
  readonly dicom?: boolean;
  /** Worker threads (default: cores, at most 4); the output does not depend on it. */
  readonly jobs?: number;
  readonly background?: string;
  readonly data?: string;
}

export const MANIFEST_NAME = 'manifest.jsonl';

function parseTask(task: string): SynthTask {
  if (task === 'ich' || task === 'infarct') return task;
  throw new UserInputError(`--task must be ich or infarct (got ${task})`);
}

export async function runSynth(options: SynthCommandOptions): Promise<void> {
  const task = parseTask(options.task);
  if (!Number.isInteger(options.n) || options.n < 1)
    throw new UserInputError('--n must be an integer ≥ 1');
  const root = dataRoot(options.data);
  const job: SynthJobOptions = {
    task,
    seed: options.seed,
    out: options.out,
    site: options.site,
    gridSpacingMm: options.gridSpacing,
    dicom: options.dicom,
    gallery: options.gallery,
    report: options.report,
    ...(options.background !== undefined && { background: options.background }),
  };
  if (options.background !== undefined && task !== 'infarct')
    throw new UserInputError('--background is for --task infarct only');
  // Fail early on a bad site name, before any worker starts.
  if (options.site !== undefined && !siteNames(task).includes(options.site))
    throw new UserInputError(
      `unknown site "${options.site}"; choose one of ${siteNames(task).join(', ')}`,
    );
  mkdirSync(join(options.out, 'cases'), { recursive: true });
  const bar = progressBar('synth');
  const jobs = Math.max(1, Math.min(options.jobs ?? defaultJobs(), options.n));
  let results: SynthJobResult[];
  try {
    results =
      jobs === 1
        ? await runInThisThread(root, job, options.n, bar.onProgress)
        : await runInWorkers({ root, job, n: options.n, jobs, onProgress: bar.onProgress });
  } finally {
    bar.stop();
  }
  results.sort((a, b) => a.index - b.index);
  const manifest = join(options.out, MANIFEST_NAME);
  writeFileSync(`${manifest}.partial`, `${results.map((r) => r.line).join('\n')}\n`);
  renameSync(`${manifest}.partial`, manifest);
  process.stdout.write(`wrote ${options.n} ${task} case(s) and ${manifest}\n`);
  if (options.gallery) {
    const path = join(options.out, 'gallery.png');
    writeGallery(
      path,
      task,
      results.flatMap((r) => r.tiles),
    );
    process.stdout.write(`wrote ${path}\n`);
  }
  if (options.report)
    await printAppearanceReport(
      results.flatMap((r) => (r.appearance ? [r.appearance] : [])),
      task,
      root,
    );
  process.stdout.write(`${RESEARCH_NOTICE} Synthetic data.\n`);
}

function defaultJobs(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

async function runInThisThread(
  root: string,
  job: SynthJobOptions,
  n: number,
  onProgress: (done: number, total: number) => void,
): Promise<SynthJobResult[]> {
  const resources = loadSynthResources(root, job.task);
  const real = await jobBackground(root, job, resources);
  const out: SynthJobResult[] = [];
  for (let index = 0; index < n; index++) {
    out.push(runSynthJob(resources, job, index, real));
    onProgress(index + 1, n);
  }
  return out;
}

interface WorkerRun {
  readonly root: string;
  readonly job: SynthJobOptions;
  readonly n: number;
  readonly jobs: number;
  readonly onProgress: (done: number, total: number) => void;
}

type WorkerMessage =
  | { ready: true }
  | { ok: true; result: SynthJobResult }
  | { ok: false; index: number; message: string };

/** Hands case indices to `jobs` worker threads as they become free; same files as one thread. */
function runInWorkers(run: WorkerRun): Promise<SynthJobResult[]> {
  return new Promise((resolve, reject) => {
    const results: SynthJobResult[] = [];
    let next = 0;
    let failed = false;
    const workers = Array.from({ length: run.jobs }, () => {
      const worker = new Worker(new URL('./synth-worker.js', import.meta.url), {
        workerData: { root: run.root, options: run.job },
      });
      const feed = () => worker.postMessage(next < run.n ? next++ : null);
      worker.on('message', (m: WorkerMessage) => {
        if (failed) return;
        if ('ready' in m) return feed();
        if (!m.ok) {
          failed = true;
          workers.forEach((w) => void w.terminate());
          reject(new UserInputError(`case ${m.index}: ${m.message}`));
          return;
        }
        results.push(m.result);
        run.onProgress(results.length, run.n);
        if (results.length === run.n) {
          // Every case is in: let the workers go so that the process can exit.
          workers.forEach((w) => void w.terminate());
          resolve(results);
        } else feed();
      });
      worker.on('error', (e) => {
        if (failed) return;
        failed = true;
        workers.forEach((w) => void w.terminate());
        reject(e);
      });
      return worker;
    });
  });
}
