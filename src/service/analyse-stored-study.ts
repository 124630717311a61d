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
import { isUserInputError } from '../core/errors.js';
import { writeAnalysisOutputs } from '../host/analyze-outputs.js';
import { analyzeStudy } from '../pipeline/analyze-study.js';
import type { Resources } from '../pipeline/resources.js';
import { type ArtefactStore, writeFileAtomic } from './artefact-store.js';
import { ANALYSIS_DISK_FULL_REASON, isDiskFullError } from './disk-full.js';
import type { JobProgress, QueuedJob } from './queue.js';
import { readStoredInputs } from './stored-inputs.js';
import type { JobOutcome } from './study-store.js';
import type { TriageState } from '../pipeline/assessment/triage-state.js';

export type { InputManifest } from './stored-inputs.js';

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
  const { manifest, selected } = await readStoredInputs({ artefacts, studyId: job.studyId });
  const readMs = performance.now() - started;
  const analysis = await analyzeStudy({ images: selected.images, task: selected.task }, resources, {
    onProgress: (p) => progress(p),
  });
  progress({ stage: 'write', fraction: 0 });
  const report = writeAnalysisOutputs(analysis, {
    out: work,
    // DICOM input: the SEG, SR and key images go beside the other outputs.
    ...(selected.sources?.length && { dicomOut: work }),
    // The scans as NIfTI, for the viewer (src/viewer) to show under the overlay.
    scans: true,
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

/** What the worklist takes from a stored report.json. */
interface StoredReport {
  readonly task: string;
  readonly summary: string;
  readonly totalLesionMl: number;
  readonly triage: {
    readonly state?: TriageState;
    readonly positive: boolean;
    readonly score: number;
  };
  readonly model: { readonly name: string; readonly version: string };
  readonly location?: { readonly total: LocationTotal | null } | null;
}

interface LocationTotal {
  readonly side?: string;
  readonly region?: string;
  readonly territories?: readonly { readonly name: string }[];
  readonly structures?: readonly { readonly name: string }[];
}

/** 'MCA left; frontal lobe (lateral)' or 'brainstem': the largest territory and structure. */
function locationLine(total: LocationTotal): string | null {
  const parts = [total.territories?.[0]?.name, total.structures?.[0]?.name ?? total.region];
  const line = parts.filter((p): p is string => Boolean(p)).join('; ');
  return line || null;
}

/** The outcome recorded in a committed result (a rerun after a crash finds it there). */
function existingResult(artefacts: ArtefactStore, studyId: string): JobOutcome | undefined {
  const path = join(artefacts.resultDir(studyId), 'report.json');
  if (!existsSync(path)) return undefined;
  const r = JSON.parse(readFileSync(path, 'utf8')) as StoredReport;
  return {
    status: 'done',
    result: {
      task: r.task,
      // A report before version 3 has no state: positive or negative.
      state: r.triage.state ?? (r.triage.positive ? 'positive' : 'negative'),
      positive: r.triage.positive,
      score: r.triage.score,
      totalLesionMl: r.totalLesionMl,
      summary: r.summary,
      model: `${r.model.name} ${r.model.version}`,
      location: r.location?.total ? locationLine(r.location.total) : null,
    },
  };
}

function failed(reason: string): JobOutcome {
  return { status: 'failed', reason };
}

function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim() || 'no reason given';
}
