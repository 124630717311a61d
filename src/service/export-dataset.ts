/**
 * `exportDataset(options)`: the reviewed studies of a service's data folder as a labelled
 * dataset (the adaptation input; layouts in dataset-layout.ts). A study is taken when its latest
 * review is `accept` or `edited` (by default both; `include` narrows it): its scans read back
 * from the stored input as the analysis read them (stored-inputs.ts) and written on the grid of
 * the labels (the result's native grid; a channel on another grid, e.g. an ADC series, is
 * resampled onto it), and its label map: the latest edited mask if it has one, else the model's
 * labels. Rejected studies, studies outside `include` or of another task, and studies whose
 * input cannot be read again are skipped, each with its reason. Case names are counters; a
 * `neurotriage-cases.json` maps them to study ids and review versions (no patient data).
 */
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserInputError, isUserInputError } from '../core/errors.js';
import { sameGeometry, voxelVolumeMl } from '../core/geometry.js';
import { resample } from '../core/resample.js';
import { createVolume } from '../core/volume.js';
import { readNiftiFile, writeNiftiFile } from '../io/nifti/nifti-file.js';
import type { Task } from '../pipeline/select-inputs.js';
import { ArtefactStore, DATABASE_FILE } from './artefact-store.js';
import { openDatabase } from './database.js';
import { type DatasetLayout, casePaths, datasetDescription } from './dataset-layout.js';
import { type ResultReport, readResultReport } from './result-report.js';
import { reviewDir } from './review-folder.js';
import { type ReviewRecord, ReviewStore, reviewSummary } from './review-store.js';
import { readStoredInputs } from './stored-inputs.js';

export const INCLUDABLE = ['accepted', 'edited'] as const;
export type Includable = (typeof INCLUDABLE)[number];

export interface ExportDatasetOptions {
  /** The service's data folder. */
  readonly dataDir: string;
  /** The dataset folder: created, or empty. */
  readonly out: string;
  readonly layout: DatasetLayout;
  /** Latest reviews taken; default both. */
  readonly include?: readonly Includable[];
  /** Needed only when the reviewed studies are of both tasks. */
  readonly task?: Task;
  /** One line per case written. */
  readonly onCase?: (done: number, total: number) => void;
}

export interface ExportedCase {
  readonly caseId: string;
  readonly studyId: string;
  readonly reviewVersion: number;
  readonly review: Includable;
  /** Where the label map came from: a review version's edit, or the model's result. */
  readonly labelsFrom: 'edited' | 'model';
  readonly shape: readonly number[];
  readonly volumesMl: Readonly<Record<string, number>>;
}

export interface ExportSummary {
  readonly layout: DatasetLayout;
  readonly task: Task | null;
  readonly cases: readonly ExportedCase[];
  readonly skipped: readonly { readonly studyId: string; readonly reason: string }[];
}

export async function exportDataset(options: ExportDatasetOptions): Promise<ExportSummary> {
  const include = new Set(options.include ?? INCLUDABLE);
  if (!existsSync(join(options.dataDir, DATABASE_FILE)))
    throw new UserInputError(
      `${options.dataDir} is not a service data folder (no ${DATABASE_FILE})`,
    );
  if (existsSync(options.out) && readdirSync(options.out).length > 0)
    throw new UserInputError(`${options.out} is not empty: export into a new or empty folder`);
  const artefacts = new ArtefactStore(options.dataDir);
  const db = openDatabase(artefacts.databasePath);
  try {
    const reviews = new ReviewStore(db);
    const latest = [...reviews.latestOfAll().values()];
    const skipped: { studyId: string; reason: string }[] = [];
    const candidates: { review: ReviewRecord; state: Includable; report: ResultReport }[] = [];
    for (const review of latest) {
      const state = reviewSummary(review).decision;
      const report = readResultReport(artefacts, review.studyId);
      if (state === 'reject')
        skipped.push({ studyId: review.studyId, reason: 'rejected by the reviewer' });
      else if (!include.has(state === 'accept' ? 'accepted' : 'edited'))
        skipped.push({
          studyId: review.studyId,
          reason: `${state === 'accept' ? 'accepted' : 'edited'} (not in --include)`,
        });
      else if (!report) skipped.push({ studyId: review.studyId, reason: 'no result' });
      else candidates.push({ review, state: state === 'accept' ? 'accepted' : 'edited', report });
    }
    const tasks = [...new Set(candidates.map((c) => c.report.task))];
    const task = options.task ?? (tasks.length > 1 ? undefined : tasks[0]);
    if (!task && tasks.length > 1)
      throw new UserInputError(
        `the reviewed studies are of both tasks (${tasks.join(', ')}): choose one with --task`,
      );
    if (options.layout === 'isles22' && task === 'ich')
      throw new UserInputError(
        'the isles22 layout holds DWI + ADC (task infarct); use --layout nnunet for ich',
      );
    const chosen = candidates.filter((c) => {
      if (c.report.task === task) return true;
      skipped.push({ studyId: c.review.studyId, reason: `task ${c.report.task}, not ${task}` });
      return false;
    });
    mkdirSync(options.out, { recursive: true });
    const cases: ExportedCase[] = [];
    for (const c of chosen) {
      options.onCase?.(cases.length, chosen.length);
      try {
        cases.push(
          await exportCase({
            ...c,
            artefacts,
            reviews,
            out: options.out,
            layout: options.layout,
            n: cases.length + 1,
          }),
        );
      } catch (e) {
        if (!isUserInputError(e)) throw e;
        skipped.push({
          studyId: c.review.studyId,
          reason: `input not readable: ${e.message.split('\n')[0]}`,
        });
      }
    }
    if (task && chosen[0]) {
      const d = datasetDescription({
        layout: options.layout,
        task,
        labelNames: chosen[0].report.labelNames,
        cases: cases.length,
      });
      writeFileSync(join(options.out, d.name), `${JSON.stringify(d.json, null, 2)}\n`);
    }
    writeFileSync(
      join(options.out, 'neurotriage-cases.json'),
      `${JSON.stringify({ notice: 'Research use only; not a medical device.', cases, skipped }, null, 2)}\n`,
    );
    return { layout: options.layout, task: task ?? null, cases, skipped };
  } finally {
    db.close();
  }
}

async function exportCase(options: {
  readonly review: ReviewRecord;
  readonly state: Includable;
  readonly report: ResultReport;
  readonly artefacts: ArtefactStore;
  readonly reviews: ReviewStore;
  readonly out: string;
  readonly layout: DatasetLayout;
  readonly n: number;
}): Promise<ExportedCase> {
  const { review, report, artefacts, out } = options;
  const studyId = review.studyId;
  const mask = options.reviews.latestMask(studyId);
  const labelsPath = mask
    ? join(reviewDir(artefacts, studyId, mask.version), 'labels.nii.gz')
    : join(artefacts.resultDir(studyId), 'labels.nii.gz');
  const labels = readNiftiFile(labelsPath).volumes[0]!;
  const grid = labels.geometry;
  const { selected } = await readStoredInputs({ artefacts, studyId, task: report.task });
  const paths = casePaths(options.layout, report.task, options.n);
  selected.images.forEach((image, c) => {
    const onGrid = sameGeometry(image.geometry, grid, 1e-2)
      ? createVolume(grid, image.data, image.meta)
      : resample(image, { target: grid, interpolation: 'linear' });
    const path = paths.images[c];
    // Our own description: the volume's (a DICOM series description) is not carried over.
    const description = `neurotriage ${report.task} channel ${c}`;
    if (path) writeNiftiFile(join(out, path), onGrid, { gzipLevel: 6, description });
  });
  const labelData = Uint8Array.from(labels.data);
  writeNiftiFile(
    join(out, paths.labels),
    createVolume(grid, labelData, { modality: 'SEG', units: 'label' }),
    {
      description: `neurotriage ${report.task} labels, reviewed`,
    },
  );
  const counts = new Float64Array(256);
  for (const x of labelData) counts[x]!++;
  const volumesMl = Object.fromEntries(
    Object.entries(report.labelNames).map(([v, name]) => [
      name,
      Math.round((counts[Number(v)] ?? 0) * voxelVolumeMl(grid) * 1000) / 1000,
    ]),
  );
  return {
    caseId: paths.caseId,
    studyId,
    reviewVersion: review.version,
    review: options.state,
    labelsFrom: mask ? 'edited' : 'model',
    shape: [...grid.shape],
    volumesMl,
  };
}
