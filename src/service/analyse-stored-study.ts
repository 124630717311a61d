/**
 * One job, as a worker runs it: the study's received files (read into memory under the
 * service's own names) → series catalog → series and task selection → `analyzeStudy` with the
 * worker's resources → `writeAnalysisOutputs` into a fresh work folder → that folder moved in as
 * the study's result. An input that cannot be analysed (no series, corrupt, wrong modality…)
 * ends `not-analysed` with the reader's one-line reason; a full disk ends `failed` with a reason
 * naming it (the work folder removed); any other error ends `failed`. Never a silent negative.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError, isUserInputError } from '../core/errors.js';
import { writeAnalysisOutputs } from '../host/analyze-outputs.js';
import { type InputFile, isZip, unzipEntries } from '../io/input-files.js';
import { catalogFromFiles } from '../io/series-catalog.js';
import { analyzeStudy } from '../pipeline/analyze-study.js';
import type { Resources } from '../pipeline/resources.js';
import { selectInputs } from '../pipeline/select-inputs.js';
import { type ArtefactStore, INPUT_MANIFEST, writeFileAtomic } from './artefact-store.js';
import { ANALYSIS_DISK_FULL_REASON, isDiskFullError } from './disk-full.js';
import type { JobProgress, QueuedJob } from './queue.js';
import type { JobOutcome } from './study-store.js';

export interface InputManifest {
  /** Stored names (input-names.ts), in the order received. */
  readonly files: readonly string[];
}

export interface AnalyseStoredStudyOptions {
  readonly job: QueuedJob;
  readonly artefacts: ArtefactStore;
  readonly resources: Resources;
  readonly onProgress?: (progress: Pick<JobProgress, 'stage' | 'fraction'>) => void;
}

export async function analyseStoredStudy(options: AnalyseStoredStudyOptions): Promise<JobOutcome> {
  const { job, artefacts } = options;
  const done = existingResult(artefacts, job.studyId);
  if (done) return done;
  const work = artefacts.workDir(job.jobId);
  try {
    // Made at once, so that a run killed at any point leaves a folder its next run can find.
    mkdirSync(work);
    await analyseInto(work, options);
    artefacts.commitResult(work, job.studyId);
    return existingResult(artefacts, job.studyId) ?? failed('the result was not written');
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    if (isUserInputError(e)) return { status: 'not-analysed', reason: firstLine(e.message) };
    if (isDiskFullError(e)) return failed(ANALYSIS_DISK_FULL_REASON);
    return failed(`internal error: ${firstLine(e instanceof Error ? e.message : String(e))}`);
  }
}

async function analyseInto(work: string, options: AnalyseStoredStudyOptions): Promise<void> {
  const { job, artefacts, resources } = options;
  const started = performance.now();
  const progress = options.onProgress ?? (() => undefined);
  progress({ stage: 'read', fraction: 0 });
  const inputDir = artefacts.inputDir(job.studyId);
  const manifest = JSON.parse(
    readFileSync(join(inputDir, INPUT_MANIFEST), 'utf8'),
  ) as InputManifest;
  const files: InputFile[] = manifest.files.flatMap((name) => {
    const bytes = new Uint8Array(readFileSync(join(inputDir, name)));
    return isZip(bytes) ? unzipEntries(bytes, {}, `${name}/`) : [{ name, bytes }];
  });
  const catalog = catalogFromFiles(files);
  if (catalog.entries.length === 0) {
    const why = catalog.skipped.slice(0, 3).map((s) => `${s.name}: ${s.reason}`);
    throw new UserInputError(`no image series found${why.length ? ` (${why.join('; ')})` : ''}`);
  }
  const selected = await selectInputs({ entries: catalog.entries, task: 'auto' });
  const readMs = performance.now() - started;
  const analysis = await analyzeStudy({ images: selected.images, task: selected.task }, resources, {
    onProgress: (p) => progress(p),
  });
  progress({ stage: 'write', fraction: 0 });
  const report = writeAnalysisOutputs(analysis, {
    out: work,
    // DICOM input: the SEG, SR and key images go beside the other outputs.
    ...(selected.sources?.length && { dicomOut: work }),
    paths: manifest.files,
    selection: selected,
    timingsMs: { read: Math.round(readMs * 10) / 10 },
    started,
  });
  // The stored report names its files relative to the result folder (no machine paths).
  const fileNames = Object.fromEntries(
    Object.entries(report.files).map(([k, path]) => [k, path.split(/[\\/]/).pop() ?? path]),
  );
  writeFileAtomic(
    join(work, 'report.json'),
    `${JSON.stringify({ ...report, model: { ...report.model, path: report.model.name }, files: fileNames }, null, 2)}\n`,
  );
  progress({ stage: 'write', fraction: 1 });
}

/** The outcome recorded in a committed result (a rerun after a crash finds it there). */
function existingResult(artefacts: ArtefactStore, studyId: string): JobOutcome | undefined {
  const path = join(artefacts.resultDir(studyId), 'report.json');
  if (!existsSync(path)) return undefined;
  const r = JSON.parse(readFileSync(path, 'utf8')) as {
    task: string;
    summary: string;
    totalLesionMl: number;
    triage: { positive: boolean; score: number };
  };
  return {
    status: 'done',
    result: {
      task: r.task,
      positive: r.triage.positive,
      score: r.triage.score,
      totalLesionMl: r.totalLesionMl,
      summary: r.summary,
    },
  };
}

function failed(reason: string): JobOutcome {
  return { status: 'failed', reason };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim() || 'no reason given';
}
